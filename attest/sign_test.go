package attest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func keyPair(t *testing.T) (priv, pub string) {
	t.Helper()
	dir := t.TempDir()
	k, p, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, pub = filepath.Join(dir, "k.key"), filepath.Join(dir, "k.pub")
	os.WriteFile(priv, k, 0o600)
	os.WriteFile(pub, p, 0o644)
	return priv, pub
}

func TestSignVerify(t *testing.T) {
	ctx := context.Background()
	statement := []byte(`{"_type": "https://in-toto.io/Statement/v1"}` + "\n")
	privPath, pubPath := keyPair(t)
	priv, err := ReadPrivateKey(privPath)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ReadPublicKey(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	env, err := Sign(ctx, statement, priv)
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		PayloadType string `json:"payloadType"`
		Payload     string `json:"payload"`
		Signatures  []struct {
			KeyID string `json:"keyid"`
			Sig   string `json:"sig"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(env, &wire); err != nil || wire.PayloadType != PayloadType ||
		len(wire.Signatures) != 1 || !strings.HasPrefix(wire.Signatures[0].KeyID, "SHA256:") {
		t.Fatalf("envelope %s (%v)", env, err)
	}
	if got, err := Verify(ctx, env, pub); err != nil || string(got) != string(statement) {
		t.Fatalf("Verify = %q, %v", got, err)
	}
	// Another key, another payload, another payload type: all refused.
	_, otherPub := keyPair(t)
	other, _ := ReadPublicKey(otherPub)
	if _, err := Verify(ctx, env, other); err == nil {
		t.Error("accepted another key's signature")
	}
	forged := wire
	forged.Payload = base64.StdEncoding.EncodeToString([]byte(`{"_type": "forged"}`))
	b, _ := json.Marshal(forged)
	if _, err := Verify(ctx, b, pub); err == nil {
		t.Error("accepted a changed payload")
	}
	forged = wire
	forged.PayloadType = "text/plain"
	b, _ = json.Marshal(forged)
	if _, err := Verify(ctx, b, pub); err == nil {
		t.Error("accepted another payload type")
	}
}

// Keys made by openssl, as docs/manifest.md says, are read.
func TestOpenSSLKeys(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "o.key"), filepath.Join(dir, "o.pub")
	for _, args := range [][]string{{"genpkey", "-algorithm", "ed25519", "-out", key}, {"pkey", "-in", key, "-pubout", "-out", pub}} {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	priv, err := ReadPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := Sign(context.Background(), []byte("{}"), priv)
	if _, err := Verify(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPublicKey(key); err == nil {
		t.Error("a private key file read as a public key")
	}
}
