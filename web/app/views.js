// The screens by route name (#/name/arg). Each view is view(app, arg) → { render(main),
// refresh?() }: render builds the screen from the worker's answers; refresh (lists and details
// only, never forms being typed in) redraws after a sync brought news. One file per area.
import { login, register, logout } from './view_auth.js';
import { appeals, fileAppeal, appealDetail, inbox } from './view_appeals.js';
import { points, applyPoints } from './view_points.js';
import { shop, honour } from './view_shop.js';
import { review, fulfil } from './view_review.js';
import { posts } from './view_posts.js';
import { post } from './view_post.js';
import { compose } from './view_compose.js';
import { dashboard } from './view_dashboard.js';
import { notices } from './notices.js';

export const views = {
  login, register, logout,
  appeals, new: fileAppeal, appeal: appealDetail, inbox,
  points, apply: applyPoints, shop, honour, review, fulfil,
  posts, post, compose, dashboard, notices,
};
