// etcd, as go.etcd.io/etcd/server/v3's own main builds it, for rampart's
// integration tests (tests/integration/with-kube).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
