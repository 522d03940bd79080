// The directory: search, pages, and up to 4 attribute columns the admin picks.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { Attribute, PeoplePage } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { onLinkClick } from "../ui/router";

const PAGE = 25;
const MAX_COLUMNS = 4;

export function PeopleList({ orgId }: { orgId: string }) {
  const [query, setQuery] = useState("");
  const [offset, setOffset] = useState(0);
  const [columns, setColumns] = useState<string[]>([]);
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  const [page, setPage] = useState<PeoplePage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ attributes: Attribute[] }>("GET", `/api/v1/organizations/${enc(orgId)}/attributes`)
      .then((r) => setAttributes(r.attributes))
      .catch((e) => setError((e as Error).message));
  }, [orgId]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset), q: query.trim() });
      if (columns.length) params.set("columns", columns.join(","));
      api<PeoplePage>("GET", `/api/v1/organizations/${enc(orgId)}/people?${params}`)
        .then((p) => {
          setPage(p);
          setError(null);
        })
        .catch((e) => setError((e as Error).message));
    }, 200);
    return () => clearTimeout(timer);
  }, [orgId, query, offset, columns.join(",")]);

  const toggle = (name: string) =>
    setColumns((cs) => (cs.includes(name) ? cs.filter((c) => c !== name) : cs.length < MAX_COLUMNS ? [...cs, name] : cs));

  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <div class="toolbar">
        <label for="people-search">Search</label>
        <input
          id="people-search"
          type="search"
          value={query}
          placeholder="Name, e-mail or phone"
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setOffset(0);
          }}
        />
      </div>
      {attributes.length > 0 && (
        <fieldset class="columns">
          <legend>Columns (up to {MAX_COLUMNS})</legend>
          {attributes.map((a) => (
            <label key={a.id}>
              <input
                type="checkbox"
                checked={columns.includes(a.name)}
                disabled={!columns.includes(a.name) && columns.length >= MAX_COLUMNS}
                onChange={() => toggle(a.name)}
              />
              {a.name}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorText error={error} />
      {page && (
        <>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Role</th>
                  {page.columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.people.map((p) => (
                  <tr key={p.user_id}>
                    <td>
                      <a href={`/portal/${encodeURIComponent(orgId)}/people/${encodeURIComponent(p.user_id)}`} onClick={onLinkClick}>
                        {p.name || "(no name)"}
                      </a>
                    </td>
                    <td>{p.phone}</td>
                    <td>{p.role}</td>
                    {page.columns.map((c) => (
                      <td key={c}>{p.attributes?.[c] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span aria-live="polite">
              {page.total === 0 ? "Nobody matches" : `${offset + 1}–${offset + page.people.length} of ${page.total}`}
            </span>
            <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        </>
      )}
    </section>
  );
}
