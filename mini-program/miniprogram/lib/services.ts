/** The app-wide client and session, shared by every page (mini-program modules are singletons). */
import { API_BASE_URL } from "../config";
import { ApiClient } from "./client";
import { Session } from "./session";
import { wxSessionPlatform, wxTransport } from "./wx-platform";

export const session = new Session(wxSessionPlatform);
/** The newest D1 bookmark outlives a relaunch, so a member reads their own writes even right after reopening. */
const BOOKMARK_KEY = "d1.bookmark";
export const api = new ApiClient({
  baseUrl: API_BASE_URL,
  transport: wxTransport,
  credentials: session,
  bookmarks: { load: () => wxSessionPlatform.load(BOOKMARK_KEY), save: (b) => wxSessionPlatform.save(BOOKMARK_KEY, b) },
});
session.attach(api);
