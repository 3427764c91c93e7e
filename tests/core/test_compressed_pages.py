"""nginx compresses pages that carry a CSRF token (deploy/nginx.conf). A compression side
channel (BREACH) needs a secret that stays the same over the thousands of responses it
measures; the token a page carries is signed with the second it was made, so nothing in it
but its first part repeats, and that part alone is refused."""

import time

import pytest
from itsdangerous import TimestampSigner

from support.client import csrf_token

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])


@SQLITE
def test_the_token_a_page_carries_is_signed_anew_each_second(seeded, auth, client, monkeypatch):
    auth.login("vhtt")
    tokens = []
    now = int(time.time())
    for second in (now + 10, now + 11):  # ahead of the session cookie, which must not be newer
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self, s=second: s)
        tokens.append(csrf_token(client, "/"))
    first, second = (t.split(".") for t in tokens)
    assert first[0] == second[0]  # the session's own token, which alone is not enough
    assert first[1] != second[1] and first[2] != second[2]  # its time and its signature

    # The repeating part with another moment's time and signature is refused.
    spliced = ".".join([first[0], second[1], first[2]])
    refused = client.post("/logout", data={"csrf_token": spliced})
    assert refused.status_code == 400
    assert "mã bảo mật không hợp lệ" in refused.get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": tokens[1]}).status_code in (302, 303)
