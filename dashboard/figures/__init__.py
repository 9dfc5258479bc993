"""Figures: pure functions from an analysis DataFrame to a chart, its finding and its numbers.

One module per chart family, each named after the analysis it draws:

- :mod:`~dashboard.figures.trend`: people trained against the trajectory (the headline targets);
- :mod:`~dashboard.figures.map`: the regions of a level on a map, by status;
- :mod:`~dashboard.figures.league`: the league table of regions (a table, no figure);
- :mod:`~dashboard.figures.ambition`: the network's targets against the sum of the regions';
- :mod:`~dashboard.figures.contribution`: who carries the achievement, and the programmes' table;
- :mod:`~dashboard.figures.funnel`: enrolled, completed, certified and dropped out;
- :mod:`~dashboard.figures.money`: spend against budget per funding source;
- :mod:`~dashboard.figures.inclusion`: the share of women against the goal;
- :mod:`~dashboard.figures.peers`: a region's attainment and cost against its peers';
- :mod:`~dashboard.figures.completeness`: programmes late with their monthly report;
- :mod:`~dashboard.figures.facilities`: facilities' planned and actual opening;
- :mod:`~dashboard.figures.helix`: people trained by provider helix, clusters' partners by role;
- :mod:`~dashboard.figures.matrix`: the region × cluster heat map and a region's clusters;
- :mod:`~dashboard.figures.base`: what they share: :class:`~dashboard.figures.base.Chart`,
  the empty chart, level order and labels, the trace types the browser's bundle holds.

Each function returns a :class:`~dashboard.figures.base.Chart`: the plotly figure, a title
that states the finding (computed from the same numbers), and the table of exactly the numbers
the figure plots, with labelled columns and units, for the "Table" view and the CSV download.
Percentages are plotted and listed as numbers from 0 to 100, rounded to one decimal, so chart,
table and CSV agree. Colours come from :mod:`skills_roadmap.palette`, status words and icons
from :mod:`skills_roadmap.status_words`, the house style from :mod:`skills_roadmap.charts`
(the trend is the reports' trajectory chart too).

Plotly renders a subset of HTML (links, bold, line breaks) in every label, hover text and
annotation, so every name that users typed (regions, clusters, programmes, facilities,
funding sources) passes through :func:`~skills_roadmap.reports.safety.chart_text` on its way
into a figure: it is shown as written and never becomes a link or markup. Tables keep the
names as they are (the grid shows text, never markup).

Import a chart from its family's module (``from dashboard.figures.map import map_chart``);
this package re-exports nothing.
"""
