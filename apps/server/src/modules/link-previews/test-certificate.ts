/**
 * A self-signed certificate for `preview.test` (valid from 2000 to 2126, so
 * no machine's clock makes it expired or not yet valid) and its key, for the
 * HTTPS tests only: a loopback server presents it and the fetcher trusts it
 * through `trustedCa`. Made with `openssl ca -selfsign -startdate
 * 20000101000000Z -enddate 21260101000000Z` over a P-256 key, with
 * subjectAltName=DNS:preview.test.
 */
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBizCCATKgAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxwcmV2aWV3
LnRlc3QwIBcNMDAwMTAxMDAwMDAwWhgPMjEyNjAxMDEwMDAwMDBaMBcxFTATBgNV
BAMMDHByZXZpZXcudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABACjBl/1
lBb0FEz1TrGEBxdvxX9pbTye9XYQAkec2GDeg9gKA/+J2q3Wb70hGK/GKbSK53gr
7dnwGj/xmrncHgqjbTBrMBcGA1UdEQQQMA6CDHByZXZpZXcudGVzdDAPBgNVHRMB
Af8EBTADAQH/MAsGA1UdDwQEAwIChDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNV
HQ4EFgQUyNUeqEKlTQ1XZwF++93D6YvYNvswCgYIKoZIzj0EAwIDRwAwRAIgMhr+
QOnswsGnWytq9L+jvX2OvUpRCAtxhC7s5O4Fq0ACIDcuW7l7rteHCSBF4d1fi07z
1UuIIlTVPtK+CHA/CMlX
-----END CERTIFICATE-----`;

export const TEST_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFLTJ1TwSt/5EFiOP
sbs90CZBjipYh5oQ7HR0BV7ahQehRANCAAQAowZf9ZQW9BRM9U6xhAcXb8V/aW08
nvV2EAJHnNhg3oPYCgP/idqt1m+9IRivxim0iud4K+3Z8Bo/8Zq53B4K
-----END PRIVATE KEY-----`;
