"""Account security building blocks for clinic mode: passwords, tokens, one-time codes, login
throttling and session timeouts.

Everything here is a pure function or a small frozen value. Nothing reads a clock (each function
that depends on time takes the moment as an argument), opens a database, or knows about the web.
The caller stores what these functions return (a password hash, a token's SHA-256 digest, the last
TOTP step used, a throttle state) and hands it back on the next request; the rules live here, the
storage and the pages live above.

The requirement numbers in the comments are those of OWASP ASVS 5.0 (V6 Authentication, V7 Session
Management) and NIST SP 800-63B.

- `passwords`: the password policy, Argon2id hashing, and a decoy verify for unknown accounts.
- `tokens`: session tokens, invitation and recovery codes, digests and a constant-time compare.
- `totp`: authenticator-app codes (RFC 6238), their set-up link and QR code, replay refused.
- `throttle`: growing waits after failed sign-ins, with no lockout an attacker can cause.
- `session_rules`: idle and absolute session timeouts per role.
"""
