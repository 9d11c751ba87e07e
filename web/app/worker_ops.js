// The worker's ops for points and disclosure: each reads or writes through one export of the
// core (web/src/bindings.cpp, its points and disclosure parts). `core` gives call (a C function
// by name), need (the open device) and write (a command, answered once its commit is stored).
export function domainOps({ call, need, write }) {
  const h = () => need().handle;
  const me = () => need().user;
  return {
    // --- points
    account: ({ household }) => call('cunwu_points_account', h(), household),
    rules: ({ village }) => call('cunwu_points_rules', h(), village).rules,
    shop: ({ village }) => call('cunwu_points_shop', h(), village).goods,
    honour: ({ scope, kind }) => call('cunwu_points_honour', h(), scope, kind, Date.now(), 10),
    titles: ({ village, kind }) => call('cunwu_points_titles', h(), village, kind, Date.now()),
    applyPoints: ({ household, rule, text, photos }) =>
      write('cunwu_points_apply', me(), household, rule, text, JSON.stringify(photos || []), Date.now()),
    redeem: ({ household, goods }) => write('cunwu_points_redeem', me(), household, goods, Date.now()),
    pendingApplications: ({ scope }) => call('cunwu_points_pending', h(), scope).applications,
    approve: ({ household, application }) => write('cunwu_points_approve', me(), household, application, Date.now()),
    rejectApplication: ({ household, application, reason }) =>
      write('cunwu_points_reject', me(), household, application, reason, Date.now()),
    redemptions: ({ scope, status }) => call('cunwu_points_redemptions', h(), scope, status).redemptions,
    fulfil: ({ household, request }) => write('cunwu_points_fulfil', me(), household, request, Date.now()),
    // --- disclosure
    posts: ({ type }) => call('cunwu_post_list', h(), me(), type || '').posts,
    post: ({ id }) => call('cunwu_post_get', h(), id).post,
    postDiff: ({ id, from, to }) => call('cunwu_post_diff', h(), id, from, to),
    awareness: ({ id }) => call('cunwu_post_awareness', h(), id),
    search: ({ text, type, visibleAt }) => call('cunwu_post_search', h(), text, type || '', visibleAt || '', 30).hits,
    publish: ({ scope, type, fields }) => write('cunwu_post_publish', me(), scope, type, JSON.stringify(fields), Date.now()),
    amend: ({ id, reason, fields }) => write('cunwu_post_amend', me(), id, reason, JSON.stringify(fields), Date.now()),
    ask: ({ id, text }) => write('cunwu_post_ask', me(), id, text, Date.now()),
    answer: ({ id, question, text }) => write('cunwu_post_answer', me(), id, question, text, Date.now()),
    markRead: ({ id }) => write('cunwu_post_read', me(), id, Date.now()),
    // --- dashboard
    rates: ({ scope }) => call('cunwu_appeal_rates', h(), scope),
  };
}
