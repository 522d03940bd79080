// Top level: signed out → sign-in; signed in → the chat or, under /portal, the management portal.
import { useEffect, useState } from "preact/hooks";
import { session } from "./api/session";
import { chat } from "./chat/store";
import { SignIn } from "./chat/SignIn";
import { ChatApp } from "./chat/ChatApp";
import { lazy } from "./ui/lazy";
import { usePath } from "./ui/router";
import { TopBar } from "./ui/TopBar";

// The portal is for admins only: its code loads when first opened.
const Portal = lazy(() => import("./portal/Portal").then((m) => m.Portal));

export function App() {
  const [token, setToken] = useState(session.token());
  useEffect(() => session.subscribe(() => setToken(session.token())), []);
  const path = usePath();
  // One stream per signed-in session, for the chat and the portal alike.
  useEffect(() => {
    if (!token) return;
    void chat.start();
    return () => chat.stop();
  }, [token]);
  if (!token) return <SignIn />;
  return (
    <div class="shell">
      <TopBar path={path} />
      {path.startsWith("/portal") ? <Portal path={path} /> : <ChatApp path={path} />}
    </div>
  );
}
