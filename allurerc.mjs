// Allure 3 configuration for `make report` (see README "Reports"). The two outputs:
//   reports/allure-report/awesome/index.html      the full report (serve it: make report-open)
//   reports/allure-report/single-file/index.html  the same report in one file: opens from disk, kept by CI
const env = (name, fallback) => process.env[name] || fallback;

export default {
  name: env("ALLURE_REPORT_NAME", "Shop acceptance suite"),
  output: env("ALLURE_REPORT_DIR", "reports/allure-report"),
  // Kept across runs (not emptied by a new run) so the report shows history and trends.
  historyPath: env("ALLURE_HISTORY_FILE", "reports/history/allure-history.jsonl"),
  historyLimit: 50,
  // First match wins: infrastructure and timeouts before the product/test split.
  categories: [
    { name: "Quarantined (failing, known, not failing the run)", matchers: [{ message: /^Quarantined until/ }] },
    { name: "Flaky (passed on a retry)", matchers: [{ flaky: true }] },
    {
      name: "Infrastructure trouble",
      matchers: [
        { statuses: ["failed", "broken"],
          message: /unreachable|cannot start|could not connect|connection refused|Connection reset|OperationalError|AMQPConnectionError|ConnectionError|StackUnavailable/i },
      ],
    },
    {
      name: "Timeouts",
      matchers: [{ statuses: ["failed", "broken"], message: /gave up waiting|timed? ?out|TimeoutError|ReadTimeout/i }],
    },
    { name: "Product defects", matchers: [{ statuses: ["failed"] }] },
    { name: "Test defects", matchers: [{ statuses: ["broken"] }] },
  ],
  plugins: {
    awesome: {
      options: { reportName: env("ALLURE_REPORT_NAME", "Shop acceptance suite"), groupBy: ["epic", "feature", "story"] },
    },
    "single-file": {
      import: "@allurereport/plugin-awesome",
      options: {
        reportName: env("ALLURE_REPORT_NAME", "Shop acceptance suite"),
        singleFile: true,
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
};
