"""The Dash dashboard of Skills Roadmap: app factory, pages, components and figures."""
