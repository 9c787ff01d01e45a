// Command ferretdb runs FerretDB v1 as a local, MongoDB-wire-compatible server
// for development, tests and benchmarks: on its SQLite backend by default, or
// on PostgreSQL when -postgresql-url is given.
//
// It embeds the library instead of `go install`-ing FerretDB's own command,
// because the published module lacks build/version/version.txt and that
// command panics at start; the embedded package does not read it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free one)")
	dir := flag.String("dir", ".data/ferretdb", "directory that holds the SQLite files")
	postgresqlURL := flag.String("postgresql-url", "", "use the PostgreSQL backend at this URL (postgres://user@host:port/db) instead of SQLite files in -dir")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes, so a parent that dies never leaves an orphaned server")
	flag.Parse()

	config := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if *postgresqlURL != "" {
		config.Handler = "postgresql"
		config.PostgreSQLURL = *postgresqlURL
	} else {
		abs, err := filepath.Abs(*dir)
		if err != nil {
			log.Fatal(err)
		}
		if err = os.MkdirAll(abs, 0o700); err != nil {
			log.Fatal(err)
		}
		config.Handler = "sqlite"
		// BEGIN IMMEDIATE: a write transaction takes SQLite's write lock up
		// front and waits for it, instead of failing with SQLITE_BUSY when a
		// read transaction cannot be upgraded under concurrent writers. SQLite's
		// busy handler polls rather than queues, so with a hundred writers one
		// can wait past FerretDB's default 10 s; a minute keeps the soak test's
		// worst case a delay, not an error.
		config.SQLiteURL = "file:" + abs + "/?_txlock=immediate&_pragma=busy_timeout(60000)"
	}

	f, err := ferretdb.New(&config)
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// MongoDBURI blocks until the listener is bound, so printing it is the
	// readiness signal that scripts wait for.
	uri := make(chan string, 1)
	go func() { uri <- f.MongoDBURI() }()
	select {
	case u := <-uri:
		fmt.Println(u)
	case <-time.After(30 * time.Second):
		log.Fatal("ferretdb: listener did not start within 30s")
	}

	<-done
}
