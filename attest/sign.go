package attest

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// PayloadType is the DSSE payload type of an in-toto Statement.
const PayloadType = "application/vnd.in-toto+json"

// Sign wraps statement (the manifest's bytes, exactly) in a DSSE envelope
// signed with key and returns the envelope's JSON.
func Sign(ctx context.Context, statement []byte, key ed25519.PrivateKey) ([]byte, error) {
	s, err := dsse.NewEnvelopeSigner(edKey{pub: key.Public().(ed25519.PublicKey), priv: key})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	env, err := s.SignPayload(ctx, PayloadType, statement)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	b, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return append(b, '\n'), nil
}

// Verify checks that envelope (DSSE JSON) carries an in-toto statement
// signed by pub, and returns the statement's bytes.
func Verify(ctx context.Context, envelope []byte, pub ed25519.PublicKey) ([]byte, error) {
	var env dsse.Envelope
	if err := json.Unmarshal(envelope, &env); err != nil {
		return nil, fmt.Errorf("signature: not a DSSE envelope: %w", err)
	}
	if env.PayloadType != PayloadType {
		return nil, fmt.Errorf("signature: payloadType %q, want %q", env.PayloadType, PayloadType)
	}
	v, err := dsse.NewEnvelopeVerifier(edKey{pub: pub})
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	_, payload, err := v.VerifyAndDecode(ctx, &env)
	if err != nil {
		return nil, fmt.Errorf("signature: not made by this key: %w", err)
	}
	return payload, nil
}

// KeyID is the key's identifier in envelopes: the SHA-256 fingerprint of
// the public key, as `ssh-keygen -l` prints it.
func KeyID(pub ed25519.PublicKey) (string, error) { return dsse.SHA256KeyID(pub) }

// edKey is an ed25519 key as dsse signs and verifies with it.
type edKey struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

// Sign implements dsse.Signer; data is the envelope's PAE encoding.
func (k edKey) Sign(_ context.Context, data []byte) ([]byte, error) {
	if k.priv == nil {
		return nil, errors.New("no private key")
	}
	return ed25519.Sign(k.priv, data), nil
}

// Verify implements dsse.Verifier.
func (k edKey) Verify(_ context.Context, data, sig []byte) error {
	if !ed25519.Verify(k.pub, data, sig) {
		return errors.New("ed25519: bad signature")
	}
	return nil
}

// KeyID implements dsse.Signer and dsse.Verifier.
func (k edKey) KeyID() (string, error) { return KeyID(k.pub) }

// Public implements dsse.Verifier.
func (k edKey) Public() crypto.PublicKey { return k.pub }
