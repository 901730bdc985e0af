# Kubernetes driver credentials: kubeconfig, exec plugins, in-cluster
# (actuator/kube_auth.c, kube_kubeconfig.c, kube_exec.c)
rampart_unit_test(test_kube_auth SOURCES test_kube_auth.c LIBS rampart_actuator)
