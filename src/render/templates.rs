//! The theme: tera templates and static files, built in and overridable per site.
