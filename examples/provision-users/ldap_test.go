package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/tableau-go/sdk/rest"
)

const (
	ldapBase     = "dc=example,dc=com"
	ldapAdmin    = "cn=admin,dc=example,dc=com"
	ldapPassword = "ldap-test-secret"
)

// startSlapd starts a real OpenLDAP server (Debian's slapd) on a free
// loopback port with an empty dc=example,dc=com, and returns its URL. It
// skips without slapd unless LDAP_REQUIRED=1 (set by `make test`; slapd is
// installed by scripts/install-slapd.sh), when it fails.
func startSlapd(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("slapd")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/slapd"); err2 == nil {
			bin = "/usr/sbin/slapd"
		}
	}
	if bin == "" {
		if os.Getenv("LDAP_REQUIRED") == "1" {
			t.Fatal("slapd is required (apt-get install -y slapd) but was not found")
		}
		t.Skip("slapd not installed (apt-get install -y slapd); LDAP_REQUIRED is not 1")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
database mdb
maxsize 10485760
suffix "%[2]s"
rootdn "%[3]s"
rootpw %[4]s
directory %[1]s/data
`, dir, ldapBase, ldapAdmin, ldapPassword)
	confPath := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd := exec.Command(bin, "-f", confPath, "-h", "ldap://"+addr+"/", "-d", "0")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting slapd: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	url := "ldap://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		conn, err := ldap.DialURL(url)
		if err == nil {
			conn.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// loadDirectory adds people and groups to the directory.
func loadDirectory(t *testing.T, url string) {
	t.Helper()
	conn, err := ldap.DialURL(url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind(ldapAdmin, ldapPassword); err != nil {
		t.Fatal(err)
	}
	add := func(dn string, attrs map[string][]string) {
		t.Helper()
		req := ldap.NewAddRequest(dn, nil)
		for k, v := range attrs {
			req.Attribute(k, v)
		}
		if err := conn.Add(req); err != nil {
			t.Fatalf("adding %s: %v", dn, err)
		}
	}
	add(ldapBase, map[string][]string{"objectClass": {"dcObject", "organization"}, "dc": {"example"}, "o": {"Example"}})
	add("ou=people,"+ldapBase, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"people"}})
	add("ou=groups,"+ldapBase, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"groups"}})
	person := func(uid, mail, role string) string {
		dn := "uid=" + uid + ",ou=people," + ldapBase
		attrs := map[string][]string{"objectClass": {"inetOrgPerson"}, "uid": {uid}, "cn": {uid}, "sn": {uid}}
		if mail != "" {
			attrs["mail"] = []string{mail}
		}
		if role != "" {
			attrs["employeeType"] = []string{role}
		}
		add(dn, attrs)
		return dn
	}
	ann := person("ann", "ann@example.com", "Creator")
	ben := person("ben", "ben@example.com", "")
	cat := person("cat", "cat@example.com", "Sorcerer") // not a site role: refused
	dan := person("dan", "", "Explorer")
	add("cn=tableau-users,ou=groups,"+ldapBase, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"tableau-users"}, "member": {ann, ben, cat, dan}})
	add("cn=Finance,ou=groups,"+ldapBase, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"Finance"}, "member": {ann, dan}})
	add("cn=Sales,ou=groups,"+ldapBase, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"Sales"}, "member": {ben}})
}

func TestProvisionFromLDAP(t *testing.T) {
	url := startSlapd(t)
	loadDirectory(t, url)
	_, c := useEmulator(t)
	t.Setenv("TEST_LDAP_PASSWORD", ldapPassword)
	args := []string{"-ldap-url", url, "-ldap-bind-dn", ldapAdmin, "-ldap-password-env", "TEST_LDAP_PASSWORD",
		"-ldap-base", ldapBase, "-ldap-group", "tableau-users", "-apply"}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, args, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	if !strings.Contains(got, `source: LDAP group "tableau-users": 3 users, 1 entries refused`) ||
		!strings.Contains(got, `skipped uid=cat,ou=people,dc=example,dc=com: the site role "Sorcerer"`) {
		t.Errorf("output:\n%s", got)
	}
	if strings.Contains(got, ldapPassword) {
		t.Errorf("the bind password appears in the output")
	}
	roles, emails, groups := siteState(t, c)
	if roles["ann"] != rest.RoleCreator || roles["ben"] != rest.RoleViewer || roles["dan"] != rest.RoleExplorer {
		t.Errorf("roles %v", roles)
	}
	if _, ok := roles["cat"]; ok {
		t.Errorf("a refused entry was provisioned")
	}
	if emails["ann"] != "ann@example.com" {
		t.Errorf("emails %v", emails)
	}
	if fmt.Sprint(groups["Finance"]) != "[ann dan]" || fmt.Sprint(groups["Sales"]) != "[ben]" {
		t.Errorf("groups %v", groups)
	}

	// Wrong password: a clear error, without the password.
	t.Setenv("TEST_LDAP_PASSWORD", "wrong")
	out.Reset()
	err := run(ctx, args, &out)
	if err == nil || !strings.Contains(err.Error(), "binding as "+ldapAdmin) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong password: %v", err)
	}
	// A group that does not exist.
	t.Setenv("TEST_LDAP_PASSWORD", ldapPassword)
	args[len(args)-2] = "nobody"
	if err := run(ctx, args, &out); err == nil || !strings.Contains(err.Error(), `0 groups named "nobody"`) {
		t.Errorf("missing group: %v", err)
	}
}
