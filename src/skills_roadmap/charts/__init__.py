"""Plotly figures drawn alike on the dashboard's pages and in the reports, in one house style.

- :mod:`~skills_roadmap.charts.style`: the house template and an empty figure in it;
- :mod:`~skills_roadmap.charts.trajectory`: people trained against the trajectory, per level.

The dashboard's own charts are in ``dashboard/figures``; the reports' own in
:mod:`skills_roadmap.reports.charts`. Words are the caller's: the dashboard passes its
translatable strings, the reports their own.
"""
