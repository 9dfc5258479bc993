"""One module per page: `register_page`, then `layout(...)`, then the page's callbacks."""
