// Package attest signs the results manifest (an in-toto Statement) as a
// DSSE envelope with an ed25519 key, and checks such a signature. The
// envelope is the standard DSSE JSON form (payloadType
// application/vnd.in-toto+json, base64 payload, signatures with keyid and
// sig), built and checked by github.com/secure-systems-lab/go-securesystemslib/dsse,
// so in-toto and Sigstore tooling read it. Keys are PEM files as openssl
// writes them: PKCS #8 private keys and PKIX public keys.
package attest
