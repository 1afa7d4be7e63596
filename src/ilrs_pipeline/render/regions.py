"""World regions of partners, from their ISO 3166-1 alpha-3 country codes.

Regions are the UN M49 ones (Africa, Americas, Asia, Europe, Oceania) as countryinfo ships them,
so no list of countries is kept by hand here.
"""

from __future__ import annotations

from functools import cache

from countryinfo import CountryInfo
from countryinfo.exceptions import CountryNotFoundError

NO_COUNTRY = "No country"
UNKNOWN_REGION = "Region not known"


@cache
def region_of(country_code: str | None) -> str:
    """The UN M49 region of a country; NO_COUNTRY for a partner without one (an
    international body, or a seat the sources do not give)."""
    if not country_code:
        return NO_COUNTRY
    try:
        region = CountryInfo(country_code).region()
    except CountryNotFoundError:
        return UNKNOWN_REGION
    return region or UNKNOWN_REGION
