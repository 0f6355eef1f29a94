from langres_portal.core.sitemaps import PageSitemap

sitemaps = {"quartiers": PageSitemap.for_section("quartiers", "quartiers:index")}
