"""The footer says whose service it is; only the demo (DEBUG, as `make run` serves it) says its
data is invented: a live authority's staff and families never read that."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_the_footer_claims_invented_data_only_in_the_demo(client, settings, debug):
    settings.DEBUG = debug
    settings.IRO_AUTHORITY_NAME = "Northshire Safeguarding Unit"

    page = client.get("/sign-in/").content.decode()

    assert "Northshire Safeguarding Unit: Safeguarding Independent Reviewing Officer" in page
    assert ("Demo data is invented" in page) is debug
