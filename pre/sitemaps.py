from langres_portal.core.sitemaps import PageSitemap

sitemaps = {"pre": PageSitemap.for_section("reussite-educative", "pre:index")}
