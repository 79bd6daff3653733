"""The credentials of each security scheme, for schemathesis (loaded by run.sh through
SCHEMATHESIS_HOOKS): requests to /sync/* are signed as the node under test, as sync-spec.md 7.3
says (RFC 9421 over method, path, query and Content-Digest, Ed25519); every other request carries
the organizer's token. One provider for both: schemathesis uses the configuration file's
credentials instead of a hook's wherever the file has any."""
import re
import base64
import hashlib
import os
import secrets
import time
from urllib.parse import urlsplit

import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY = Ed25519PrivateKey.from_private_bytes(base64.b64decode(open(os.environ["FUZZ_NODE_KEY"]).read().strip()))
NODE = os.environ["FUZZ_NODE_ID"]
TOKEN = os.environ["FUZZ_TOKEN"]
SIGNED = re.compile(r"^/sync/(?!status|enroll)")
COMPONENTS = '("@method" "@path" "@query" "content-digest")'


class SignedByTheNode(requests.auth.AuthBase):
    def __call__(self, request):
        parts = urlsplit(request.url)
        if not SIGNED.match(parts.path):
            request.headers["Authorization"] = f"Bearer {TOKEN}"
            return request
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
        nonce = base64.b64encode(secrets.token_bytes(16)).decode()
        parameters = f'{COMPONENTS};created={int(time.time())};keyid="{NODE}";nonce="{nonce}";alg="ed25519"'
        base = "\n".join([
            f'"@method": {request.method.upper()}',
            f'"@path": {parts.path}',
            f'"@query": ?{parts.query}',
            f'"content-digest": {digest}',
            f'"@signature-params": {parameters}',
        ])
        request.headers["Content-Digest"] = digest
        request.headers["Signature-Input"] = "boxoffice=" + parameters
        request.headers["Signature"] = "boxoffice=:" + base64.b64encode(KEY.sign(base.encode())).decode() + ":"
        return request


schemathesis.auth.set_from_requests(SignedByTheNode())
