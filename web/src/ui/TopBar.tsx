import { api } from "../api/client";
import { session } from "../api/session";
import { chat } from "../chat/store";
import { onLinkClick } from "./router";
import { useObservable } from "./observable";
import { portalOrganizations } from "../portal/access";

async function signOut() {
  try {
    await api("DELETE", "/api/v1/auth/sessions/current");
  } finally {
    chat.stop();
    session.expire();
  }
}

export function TopBar({ path }: { path: string }) {
  const store = useObservable(chat);
  // Organization admins, and group admins of organization groups (seed 004).
  const admin = portalOrganizations(store.me, store.conversations).length > 0;
  const inPortal = path.startsWith("/portal");
  return (
    <header class="topbar">
      <span class="brand">Parley</span>
      <nav aria-label="Main">
        <a href="/chats" onClick={onLinkClick} aria-current={!inPortal ? "page" : undefined}>
          Chats
        </a>
        {admin && (
          <a href="/portal" onClick={onLinkClick} aria-current={inPortal ? "page" : undefined}>
            Portal
          </a>
        )}
      </nav>
      <span class={"status status-" + store.status} role="status" aria-live="polite">
        {store.status === "live" ? "Online" : store.status === "connecting" ? "Connecting…" : "Offline, reconnecting…"}
      </span>
      <button type="button" class="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}
