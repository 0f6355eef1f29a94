from langres_portal.core.sitemaps import PageSitemap

sitemaps = {"contrat_ville": PageSitemap.for_section("contrat-de-ville", "contrat_ville:index")}
