// The worker's ops for what comes before filing (the urgency the words suggest, similar open
// appeals), dispatch and merge, the user's notices and their actions that did not take effect
// (refusals): each one export of the core
// (web/src/bindings.cpp, its last part). `core` gives call (a C function by name), need (the open
// device) and write (a command, answered once its commit is stored).
export function handlingOps({ call, need, write }) {
  const h = () => need().handle;
  const me = () => need().user;
  return {
    suggestUrgency: ({ category, text }) => call('cunwu_appeal_suggest_urgency', category, text),
    similar: ({ where, category, text, exclude }) =>
      call('cunwu_appeal_similar', h(), where, category, text, exclude || '', 5).similar,
    departments: ({ id }) => call('cunwu_appeal_departments', h(), id).departments,
    dispatch: ({ id, department }) => write('cunwu_appeal_dispatch', me(), id, department, Date.now()),
    merge: ({ id, into }) => write('cunwu_appeal_merge', me(), id, into, Date.now()),
    // Scanning stores what it found and how far it looked, so it is a write.
    notices: ({ limit }) => write('cunwu_notices', me(), limit || 50),
    noticesRead: ({ seq }) => write('cunwu_notices_read', me(), seq),
    // What the user did that the host refused or this device found in conflict; entity '' = all.
    refusals: ({ entity }) => call('cunwu_refusals', h(), me(), entity || '').refusals,
  };
}
