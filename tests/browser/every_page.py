"""Every page of the dashboard, as the demo network shows it: what page-wide tests walk."""

PAGES = [
    "/",
    "/region/ES24",
    "/region/SE23",  # programmes late: the completeness chart has bars
    "/cluster/aragon-ai",
    "/programmes",
    "/eu-frames",
    "/plan",
    "/matrix",
    "/upload",
    "/reports",
    "/periods",
    "/audit",
    "/region/XX99",
]
