namespace Sluice.Kube.Tests;

/// <summary>
/// Kubeconfigs in the shapes the tools write them, from their documented formats: kind
/// (<c>kind get kubeconfig</c>), k3s (/etc/rancher/k3s/k3s.yaml), <c>aws eks update-kubeconfig</c>,
/// <c>gcloud container clusters get-credentials</c> (gke-gcloud-auth-plugin),
/// <c>az aks get-credentials</c> converted by <c>kubelogin convert-kubeconfig</c>, and one written
/// by hand with flow style, anchors, a merge key, block scalars and comments.
/// </summary>
internal static class KubeconfigShapes
{
    /// <summary>"-----BEGIN CERTIFICATE-----\n" in base64, standing in for a CA or client certificate.</summary>
    public const string Pem64 = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==";

    public const string Kind = $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{Pem64}}
            server: https://127.0.0.1:37019
          name: kind-kind
        contexts:
        - context:
            cluster: kind-kind
            user: kind-kind
          name: kind-kind
        current-context: kind-kind
        kind: Config
        preferences: {}
        users:
        - name: kind-kind
          user:
            client-certificate-data: {{Pem64}}
            client-key-data: S0VZCg==
        """;

    public const string K3s = $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{Pem64}}
            server: https://127.0.0.1:6443
          name: default
        contexts:
        - context:
            cluster: default
            user: default
          name: default
        current-context: default
        kind: Config
        preferences: {}
        users:
        - name: default
          user:
            client-certificate-data: {{Pem64}}
            client-key-data: S0VZCg==
        """;

    public const string Eks = $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{Pem64}}
            server: https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com
          name: arn:aws:eks:us-west-2:123456789012:cluster/prod
        contexts:
        - context:
            cluster: arn:aws:eks:us-west-2:123456789012:cluster/prod
            user: arn:aws:eks:us-west-2:123456789012:cluster/prod
          name: arn:aws:eks:us-west-2:123456789012:cluster/prod
        current-context: arn:aws:eks:us-west-2:123456789012:cluster/prod
        kind: Config
        preferences: {}
        users:
        - name: arn:aws:eks:us-west-2:123456789012:cluster/prod
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - --region
              - us-west-2
              - eks
              - get-token
              - --cluster-name
              - prod
              - --output
              - json
              command: aws
              env:
              - name: AWS_PROFILE
                value: platform
        """;

    public const string Gke = $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{Pem64}}
            server: https://34.118.42.7
          name: gke_shop-prod_europe-west1_main
        contexts:
        - context:
            cluster: gke_shop-prod_europe-west1_main
            user: gke_shop-prod_europe-west1_main
          name: gke_shop-prod_europe-west1_main
        current-context: gke_shop-prod_europe-west1_main
        kind: Config
        preferences: {}
        users:
        - name: gke_shop-prod_europe-west1_main
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: gke-gcloud-auth-plugin
              installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
                https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
              provideClusterInfo: true
        """;

    public const string Aks = $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{Pem64}}
            server: https://shop-dns-4f2a9c1b.hcp.westeurope.azmk8s.io:443
          name: shop
        contexts:
        - context:
            cluster: shop
            user: clusterUser_shop-rg_shop
          name: shop
        current-context: shop
        kind: Config
        preferences: {}
        users:
        - name: clusterUser_shop-rg_shop
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - get-token
              - --environment
              - AzurePublicCloud
              - --server-id
              - 6dae42f8-4368-4678-94ff-3960e28e3630
              - --login
              - azurecli
              command: kubelogin
              env: null
              installHint: |2

                kubelogin is not installed which is required to connect to AAD enabled cluster.

                To learn more, please go to https://aka.ms/aks/kubelogin
              provideClusterInfo: false
        """;

    /// <summary>Written by hand: flow style, comments, an anchor and alias, a merge key, quoted and block scalars.</summary>
    public const string ByHand = """
        # the lab cluster, by hand
        apiVersion: v1
        kind: Config
        current-context: "lab"   # quoted on purpose
        clusters:
        - {name: lab, cluster: {server: 'https://[fd00::10]:6443', insecure-skip-tls-verify: yes}}
        users:
        - name: base
          user: &base
            token: >-
              abc.
              def
        - name: operator
          user:
            <<: *base
        contexts:
        - name: lab
          context: {cluster: lab, user: operator, namespace: &ns sluice-system}
        - name: also-lab
          context: {cluster: lab, user: base, namespace: *ns}
        """;
}
