// Command provision-users makes a site's users match an HR file or a
// directory group: it adds the missing users, changes site roles and
// emails, moves group memberships, and reports (or, with -remove, removes)
// the users who left.
//
// It only looks by default (a dry run): pass -apply to change the site.
// Rows it cannot read are reported with their line numbers and skipped
// whole, never half-applied. Only the groups the source names are managed.
//
// The HR file is a CSV with the header user,email,site_role,groups (groups
// separated by ";"):
//
//	go run ./examples/provision-users -csv hr.csv            # what would change
//	go run ./examples/provision-users -csv hr.csv -apply -progress
//
// The same from an LDAP (Active Directory, OpenLDAP) group: its members'
// uid, mail and site role attribute, and their other groups:
//
//	LDAP_PASSWORD=... go run ./examples/provision-users -ldap-url ldap://dc.example.com \
//	  -ldap-bind-dn cn=reader,dc=example,dc=com -ldap-base dc=example,dc=com -ldap-group tableau-users
//
// It runs against the embedded emulator (tableautest) unless TABLEAU_SERVER
// and credentials are set (see tableau.ConfigFromEnv).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "provision-users:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("provision-users", flag.ContinueOnError)
	fs.SetOutput(stdout)
	csvPath := fs.String("csv", "", "HR file (CSV with user,email,site_role,groups)")
	var lo ldapOptions
	fs.StringVar(&lo.URL, "ldap-url", "", "LDAP server, ldap://host:389 or ldaps://host:636")
	fs.StringVar(&lo.BindDN, "ldap-bind-dn", "", "DN to bind as (the password comes from -ldap-password-env)")
	passEnv := fs.String("ldap-password-env", "LDAP_PASSWORD", "environment variable holding the bind password")
	fs.StringVar(&lo.BaseDN, "ldap-base", "", "base DN to search")
	fs.StringVar(&lo.Group, "ldap-group", "", "cn of the groupOfNames whose members belong on the site")
	fs.StringVar(&lo.RoleAttr, "ldap-role-attr", "employeeType", "member attribute holding the site role")
	defaultRole := fs.String("default-role", rest.RoleViewer, "site role of directory members without a role attribute")
	apply := fs.Bool("apply", false, "change the site (default: only print the plan)")
	remove := fs.Bool("remove", false, "with -apply, remove the users who left the source")
	mapTo := fs.String("map-assets-to", "", "user name that receives the content of removed users")
	progress := fs.Bool("progress", false, "draw a progress bar while applying")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*csvPath == "") == (lo.URL == "") {
		return errors.New("give exactly one source: -csv FILE or -ldap-url URL")
	}
	if *remove && !*apply {
		fmt.Fprintln(stdout, "note: -remove has no effect without -apply")
	}
	lo.DefaultRole = *defaultRole

	var people []Person
	var bad []RowError
	var err error
	if *csvPath != "" {
		f, err := os.Open(*csvPath)
		if err != nil {
			return err
		}
		people, bad, err = readCSV(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *csvPath, err)
		}
		fmt.Fprintf(stdout, "source: %s: %d users, %d rows refused\n", *csvPath, len(people), len(bad))
	} else {
		lo.Password = os.Getenv(*passEnv)
		people, bad, err = readLDAP(ctx, lo)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "source: LDAP group %q: %d users, %d entries refused\n", lo.Group, len(people), len(bad))
	}
	for _, b := range bad {
		fmt.Fprintf(stdout, "  skipped %v\n", b)
	}

	cfg, where, cleanup, err := config()
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := rest.SignIn(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sign in to %s: %w", where, err)
	}
	defer c.Session.SignOut(context.WithoutCancel(ctx)) //nolint:errcheck // best effort
	fmt.Fprintf(stdout, "site: %s (%s)\n", cfg.Server, where)

	p, err := buildPlan(ctx, c, people)
	if err != nil {
		return err
	}
	p.print(stdout, *remove && *apply)
	if !*apply {
		fmt.Fprintln(stdout, "dry run: nothing changed (run again with -apply)")
		return nil
	}
	var bar io.Writer
	if *progress {
		bar = stdout
	}
	fails := p.apply(ctx, c, applyOptions{Remove: *remove, MapAssetsTo: *mapTo, Progress: bar})
	for _, f := range fails {
		fmt.Fprintf(stdout, "  failed %v\n", f)
	}
	fmt.Fprintf(stdout, "applied: %d of %d changes\n", p.ops(*remove)-len(fails), p.ops(*remove))
	if len(fails) > 0 {
		return fmt.Errorf("%d changes failed", len(fails))
	}
	return nil
}

// config returns TABLEAU_* settings when TABLEAU_SERVER is set, else an
// embedded emulator's.
func config() (cfg tableau.Config, where string, cleanup func(), err error) {
	if os.Getenv(tableau.EnvServer) != "" {
		cfg, err = tableau.ConfigFromEnv()
		return cfg, "from " + tableau.EnvServer, func() {}, err
	}
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return cfg, "", nil, err
	}
	creds := srv.Credentials()
	cfg = tableau.Config{
		Server:      srv.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	}
	return cfg, "embedded emulator", func() { srv.Close() }, nil
}
