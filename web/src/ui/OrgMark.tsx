// The organization mark (seed 000): a building icon beside what an organization owns.
export function OrgMark({ name }: { name: string }) {
  return (
    <svg class="orgmark" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label={"Organization: " + name}>
      <title>{"Owned by " + name}</title>
      <path d="M2 15V2h8v4h4v9H9v-3H7v3zM4 4v2h2V4zm0 4v2h2V8zm4-4v2h0V4zm0 4v2h2V8zm4 0v2h1V8z" fill="currentColor" />
    </svg>
  );
}
