package org.vitbench.reports;

/**
 * The stylesheet parts that the report ({@link HtmlReport}) and the leaderboard page
 * ({@link LeaderboardPage}) share, so both pages look alike and change together.
 */
final class Styles {

    /** Page, body and headings up to h2. */
    static final String PAGE = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
              color: #1f2328; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 3rem;
              line-height: 1.45; }
            h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
            """;

    /** Notes, tables, specs and code. */
    static final String TABLES = """
            .sub, .note, .meta { color: #57606a; }
            .meta { font-size: .8rem; }
            table { border-collapse: collapse; margin: .4rem 0; font-variant-numeric: tabular-nums; }
            th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
            thead th { background: #f6f8fa; }
            tbody tr:nth-child(even) { background: #fbfcfd; }
            td.num { text-align: right; white-space: nowrap; }
            td.best { background: #eef6ee; }
            .failed { color: #b42318; }
            .spec { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .75rem;
              color: #57606a; font-weight: normal; }
            pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; margin: 0; font-size: .8rem; }
            code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            """;

    /** The footer. */
    static final String FOOTER = """
            footer { margin-top: 3rem; font-size: .8rem; color: #57606a; }
            """;

    private Styles() {
    }
}
