// Calls the JSON API with the signed-in session's bearer token. Every failure becomes an
// ApiError carrying the server's stable code and its human message.
import { session } from "./session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // The response's JSON body, for batch calls that answer 422 with per-item results.
    readonly body?: unknown,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    if (body?.error?.code) return new ApiError(response.status, body.error.code, body.error.message);
    return new ApiError(response.status, "http_" + response.status, `The server answered ${response.status}.`, body);
  } catch {
    // Not the API's error shape: fall through to a generic message.
  }
  return new ApiError(response.status, "http_" + response.status, `The server answered ${response.status}.`);
}

export async function request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token();
  if (token) headers.set("Authorization", "Bearer " + token);
  let payload = init.body;
  if (body !== undefined) {
    headers.set("Content-Type", "application/json");
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, method, headers, body: payload });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
  }
  if (response.status === 401 && token) session.expire();
  if (!response.ok) throw await failure(response);
  return response;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

// Fetches a file the API serves (it needs the bearer token, so a plain link cannot) and hands
// it to the browser as a download.
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await request("GET", path);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const enc = encodeURIComponent;

// A batch call by phone numbers (people, group members): each number succeeds or fails on its
// own, and when all fail the server answers 422 with the same per-number body.
export async function batch<T>(method: string, path: string, body: unknown): Promise<T> {
  try {
    return await api<T>(method, path, body);
  } catch (e) {
    if (e instanceof ApiError && e.status === 422 && typeof e.body === "object" && e.body !== null && "failed" in e.body) return e.body as T;
    throw e;
  }
}
