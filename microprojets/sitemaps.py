from langres_portal.core.sitemaps import PageSitemap

sitemaps = {"microprojets": PageSitemap.for_section("microprojets", "microprojets:index")}
