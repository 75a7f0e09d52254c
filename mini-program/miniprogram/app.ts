import { referralFromQuery } from "./lib/referral";
import { session } from "./lib/services";

/**
 * Logs in on launch (wx.login is silent) and keeps the referral of the link or code that opened the app:
 * sent with the login, or bound right away when the member was already logged in.
 */
App({
  onLaunch(options) {
    void session.captureReferral(referralFromQuery(options.query));
    session
      .ensureLogin()
      .then(() => session.loadInvite())
      .catch(() => {
        // Pages log in again on their first 401 and show their own error state.
      });
  },
  onShow(options) {
    // A warm start through another share link or code carries a new query.
    void session.captureReferral(referralFromQuery(options.query));
  },
});
