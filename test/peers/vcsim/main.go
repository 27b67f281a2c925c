// vcsim: govmomi's vSphere simulator as a program (Debian ships the library,
// not the command). Builds the inventory model from flags, serves the vim25
// SOAP API over HTTPS and prints one JSON line describing itself, then runs
// until it is killed.
//
// Build offline: GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim .
package main

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type ready struct {
	URL            string         `json:"url"`
	Host           string         `json:"host"`
	Port           string         `json:"port"`
	Username       string         `json:"username"`
	Password       string         `json:"password"`
	Model          string         `json:"model"`
	Fingerprint256 string         `json:"fingerprint256"`
	CertPem        string         `json:"certPem"`
	Counts         map[string]int `json:"counts"`
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (host:port)")
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host instead of vCenter")
	dc := flag.Int("dc", -1, "datacenters (vCenter model)")
	cluster := flag.Int("cluster", -1, "clusters per datacenter")
	clusterHost := flag.Int("host", -1, "hosts per cluster")
	standalone := flag.Int("standalone-host", -1, "standalone hosts per datacenter")
	vm := flag.Int("vm", -1, "virtual machines per resource pool (and per standalone host)")
	pool := flag.Int("pool", -1, "extra resource pools per cluster")
	ds := flag.Int("ds", -1, "datastores")
	folder := flag.Int("folder", -1, "datacenters placed inside folders")
	autostart := flag.Bool("autostart", true, "power on the created VMs")
	username := flag.String("username", "user", "login user name")
	password := flag.String("password", "pass", "login password")
	anyLogin := flag.Bool("any-login", false, "accept any non-empty user name and password (vcsim's default)")
	idle := flag.Duration("session-idle-timeout", 0, "expire sessions idle for this long (0: never)")
	certFile := flag.String("tlscert", "", "PEM certificate to serve (default: the simulator's own self-signed one)")
	keyFile := flag.String("tlskey", "", "PEM private key for -tlscert")
	verbose := flag.Bool("v", false, "log every request to stderr")
	flag.Parse()

	if !*verbose {
		log.SetOutput(devNull{})
	}

	model := simulator.VPX()
	name := "vpx"
	if *esx {
		model = simulator.ESX()
		name = "esx"
	}
	set := func(dst *int, v int) {
		if v >= 0 {
			*dst = v
		}
	}
	set(&model.Datacenter, *dc)
	set(&model.Cluster, *cluster)
	set(&model.ClusterHost, *clusterHost)
	set(&model.Host, *standalone)
	set(&model.Machine, *vm)
	set(&model.Pool, *pool)
	set(&model.Datastore, *ds)
	set(&model.Folder, *folder)
	model.Autostart = *autostart
	simulator.SessionIdleTimeout = *idle

	if err := model.Create(); err != nil {
		fail("create model: %v", err)
	}
	defer model.Remove()
	useSyncedCollector(model.ServiceContent.PropertyCollector)
	simulator.Map.AddHandler(&maintenanceNotifier{self: types.ManagedObjectReference{Type: "PropertyCollector", Value: "maintenance-notifier"}})

	cfg := new(tls.Config)
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fail("load certificate: %v", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	model.Service.TLS = cfg
	model.Service.Listen = &url.URL{Host: *listen}
	if !*anyLogin {
		// A credential other than simulator.DefaultLogin makes vcsim check it exactly.
		model.Service.Listen.User = url.UserPassword(*username, *password)
	}

	server := model.Service.NewServer()

	cert := server.Certificate()
	sum := sha256.Sum256(cert.Raw)
	hexParts := make([]string, len(sum))
	for i, b := range sum {
		hexParts[i] = fmt.Sprintf("%02X", b)
	}
	counts := model.Count()
	u := *server.URL
	u.User = nil
	info := ready{
		URL:            u.String(),
		Host:           u.Hostname(),
		Port:           u.Port(),
		Username:       *username,
		Password:       *password,
		Model:          name,
		Fingerprint256: strings.Join(hexParts, ":"),
		CertPem:        string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		Counts: map[string]int{
			"datacenter": counts.Datacenter,
			"cluster":    counts.Cluster,
			"host":       counts.Host,
			"vm":         counts.Machine,
			"pool":       counts.Pool,
			"folder":     counts.Folder,
			"datastore":  counts.Datastore,
		},
	}
	line, _ := json.Marshal(info)
	fmt.Printf("VCSIM_READY %s\n", line)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	done := make(chan struct{})
	go func() { server.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second): // long polls may hold the listener open
	}
}

// ---- a PropertyCollector that behaves like vCenter's where vcsim 0.24's does not ----
//
// vcsim 0.24's WaitForUpdatesEx with version "" collects the initial update set
// and only then starts listening for changes, under the collector's reference,
// which every session shares. So (1) a change that lands while a large initial
// set is being collected (about a second on 2,000 VMs) is in neither the set nor
// the stream, and (2) only the last session to start WaitForUpdatesEx hears
// changes at all. vCenter's filters have neither gap. syncedCollector starts a
// listener of the session's own before it collects (a change seen twice is
// harmless: it is an assignment), and honours WaitOptions.maxObjectUpdates by
// returning large update sets in pages marked truncated, as vCenter does.

var listenerSeq struct {
	sync.Mutex
	n int
}

// sessionListener queues registry changes for one session's collector.
type sessionListener struct {
	self types.ManagedObjectReference
	pc   *simulator.PropertyCollector
}

func (l *sessionListener) Reference() types.ManagedObjectReference { return l.self }
func (l *sessionListener) PutObject(o mo.Reference)                { l.pc.PutObject(o) }
func (l *sessionListener) UpdateObject(o mo.Reference, c []types.PropertyChange) {
	l.pc.UpdateObject(o, c)
}
func (l *sessionListener) RemoveObject(ref types.ManagedObjectReference) { l.pc.RemoveObject(ref) }

type pendingUpdate struct {
	filter types.ManagedObjectReference
	update types.ObjectUpdate
}

type syncedCollector struct {
	simulator.PropertyCollector
	listener *sessionListener
	pending  []pendingUpdate
}

// useSyncedCollector replaces the collector singleton; vcsim clones its type for each session.
func useSyncedCollector(ref types.ManagedObjectReference) {
	pc := &syncedCollector{}
	pc.Self = ref
	simulator.Map.Put(pc)
}

func (c *syncedCollector) WaitForUpdatesEx(ctx *simulator.Context, r *types.WaitForUpdatesEx) soap.HasFault {
	if r.Version == "" {
		c.pending = nil
		if c.listener == nil {
			listenerSeq.Lock()
			listenerSeq.n++
			ref := types.ManagedObjectReference{Type: "PropertyCollector", Value: fmt.Sprintf("session-listener-%d", listenerSeq.n)}
			listenerSeq.Unlock()
			c.listener = &sessionListener{self: ref, pc: &c.PropertyCollector}
			ctx.Map.AddHandler(c.listener)
		}
	} else if len(c.pending) > 0 {
		return c.nextPage(r)
	}
	body := c.PropertyCollector.WaitForUpdatesEx(ctx, r)
	if r.Version == "" {
		ctx.Map.RemoveHandler(&c.PropertyCollector) // the shared-key listener vcsim just added: ours replaces it
	}
	if res, ok := body.(*methods.WaitForUpdatesExBody); ok && res.Res != nil && res.Res.Returnval != nil {
		c.paginate(res.Res.Returnval, maxObjectUpdates(r))
	}
	return body
}

func maxObjectUpdates(r *types.WaitForUpdatesEx) int {
	if r.Options == nil || r.Options.MaxObjectUpdates <= 0 {
		return 0
	}
	return int(r.Options.MaxObjectUpdates)
}

func (c *syncedCollector) paginate(set *types.UpdateSet, max int) {
	if max == 0 {
		return
	}
	var all []pendingUpdate
	for _, fu := range set.FilterSet {
		for _, ou := range fu.ObjectSet {
			all = append(all, pendingUpdate{fu.Filter, ou})
		}
	}
	if len(all) <= max {
		return
	}
	set.FilterSet = groupByFilter(all[:max])
	set.Truncated = types.NewBool(true)
	c.pending = all[max:]
}

func (c *syncedCollector) nextPage(r *types.WaitForUpdatesEx) soap.HasFault {
	n := len(c.pending)
	if max := maxObjectUpdates(r); max > 0 && max < n {
		n = max
	}
	set := &types.UpdateSet{Version: r.Version, FilterSet: groupByFilter(c.pending[:n])}
	c.pending = c.pending[n:]
	if len(c.pending) > 0 {
		set.Truncated = types.NewBool(true)
	}
	return &methods.WaitForUpdatesExBody{Res: &types.WaitForUpdatesExResponse{Returnval: set}}
}

func groupByFilter(updates []pendingUpdate) []types.PropertyFilterUpdate {
	var out []types.PropertyFilterUpdate
	for _, u := range updates {
		if len(out) == 0 || out[len(out)-1].Filter != u.filter {
			out = append(out, types.PropertyFilterUpdate{Filter: u.filter})
		}
		last := &out[len(out)-1]
		last.ObjectSet = append(last.ObjectSet, u.update)
	}
	return out
}

// ---- Maintenance Mode told to the property collector, as vCenter does ----
//
// vcsim 0.24's EnterMaintenanceMode_Task and ExitMaintenanceMode_Task set the
// host's runtime.inMaintenanceMode in place, so WaitForUpdatesEx never reports
// it (vCenter does). maintenanceNotifier watches those tasks finish and announces
// the value vcsim set; it changes nothing vcsim decided.

var maintenanceTasks = map[string]bool{"HostSystem.enterMaintenanceMode": true, "HostSystem.exitMaintenanceMode": true}

type maintenanceNotifier struct {
	self types.ManagedObjectReference
}

func (n *maintenanceNotifier) Reference() types.ManagedObjectReference   { return n.self }
func (n *maintenanceNotifier) PutObject(mo.Reference)                    {}
func (n *maintenanceNotifier) RemoveObject(types.ManagedObjectReference) {}

func (n *maintenanceNotifier) UpdateObject(o mo.Reference, changes []types.PropertyChange) {
	task, ok := o.(*mo.Task)
	if !ok || task.Info.Entity == nil || !maintenanceTasks[task.Info.DescriptionId] {
		return
	}
	for _, c := range changes {
		if c.Name != "info.state" || c.Val != types.TaskInfoStateSuccess {
			continue
		}
		if host, ok := simulator.Map.Get(*task.Info.Entity).(*simulator.HostSystem); ok {
			simulator.Map.Update(host, []types.PropertyChange{{Name: "runtime.inMaintenanceMode", Val: host.Runtime.InMaintenanceMode}})
		}
	}
}

type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
	os.Exit(1)
}
