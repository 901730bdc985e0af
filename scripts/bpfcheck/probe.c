/* Loads probe.bpf.o, attaches it, calls getppid() three times and checks the
 * program counted exactly those calls. Exit 0 when eBPF works here. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	struct bpf_map *rodata;
	__u32 key = 0, pid = (__u32)getpid();
	__u64 hits = 0;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s probe.bpf.o\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "bpf-check: cannot open %s\n", argv[1]);
		return 1;
	}
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	if (!rodata || bpf_map__set_initial_value(rodata, &pid, sizeof(pid))) {
		fprintf(stderr, "bpf-check: cannot set target pid\n");
		goto out;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "bpf-check: the kernel refused to load the program (root? CAP_BPF?)\n");
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, "count_getppid");
	link = prog ? bpf_program__attach(prog) : NULL;
	if (!link) {
		fprintf(stderr, "bpf-check: cannot attach to syscalls/sys_enter_getppid (tracefs mounted?)\n");
		goto out;
	}
	for (int i = 0; i < 3; i++)
		(void)getppid();
	if (bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "hits")), &key, &hits)) {
		fprintf(stderr, "bpf-check: cannot read the counter map\n");
		goto out;
	}
	if (hits != 3) {
		fprintf(stderr, "bpf-check: expected 3 getppid hits, counted %llu\n", (unsigned long long)hits);
		goto out;
	}
	printf("bpf-check: tracepoint program loaded, attached and counted 3/3 calls\n");
	rc = 0;
out:
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return rc;
}
