/** The app-wide client and session, shared by every page (mini-program modules are singletons). */
import { API_BASE_URL } from "../config";
import { ApiClient } from "./client";
import { Session } from "./session";
import { wxSessionPlatform, wxTransport } from "./wx-platform";

export const session = new Session(wxSessionPlatform);
export const api = new ApiClient({ baseUrl: API_BASE_URL, transport: wxTransport, credentials: session });
session.attach(api);
