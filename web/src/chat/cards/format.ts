// Small shared pieces of the card UI: names of people, times, the state line, titles.
import type { Card, CardState, CardType } from "../../api/types";
import { chat } from "../store";

export const TYPE_NAMES: Record<CardType, string> = {
  poll: "Poll",
  survey: "Survey",
  announcement: "Announcement",
  job: "Job",
  checklist: "Checklist",
};

export function cardTitle(card: Card): string {
  return (card.type === "poll" ? card.spec.question : card.spec.title) ?? "";
}

// A member's name as the conversation knows it (large groups may list only some members).
export function personName(conversationId: string, userId: string | null): string {
  if (!userId) return "Someone";
  if (userId === chat.me?.id) return "You";
  const member = chat.threads.get(conversationId)?.view?.members.find((m) => m.user_id === userId);
  return member?.name || member?.phone || "A member";
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

// The state as of now: a card past its due time is expired even before the server's sweep says so.
export function effectiveState(card: Card): CardState {
  if (card.state === "active" && card.due_at && Date.parse(card.due_at) <= Date.now()) return "expired";
  return card.state;
}

export function stateText(card: Card): string {
  const state = effectiveState(card);
  if (state === "closed") return "Closed" + (card.closed_at ? " " + when(card.closed_at) : "");
  if (state === "expired") return "Expired" + (card.due_at ? " " + when(card.due_at) : "");
  return card.due_at ? "Active · due " + when(card.due_at) : "Active";
}
