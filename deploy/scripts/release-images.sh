#!/usr/bin/env bash
# Builds the four service images, pushes them to a registry, and writes a Kustomize overlay that deploys exactly them:
#   deploy/scripts/release-images.sh <registry> [<tag>]       e.g. registry.example.com/acme 1.4.0 (tag: the git commit)
#   kubectl apply -k deploy/k8s/release
# --manifests-only writes the overlay without building or pushing (to look at it, or when CI built the images).
# --out <dir> writes the overlay elsewhere (default deploy/k8s/release).
set -euo pipefail
cd "$(dirname "$0")/../.."

build=true
out=deploy/k8s/release
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --manifests-only) build=false ;;
    --out) out="$2"; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ ${#args[@]} -ge 1 ] || { echo "usage: $0 [--manifests-only] [--out <dir>] <registry> [<tag>]" >&2; exit 2; }
registry="${args[0]%/}"
tag="${args[1]:-$(git rev-parse --short HEAD)}"
services=(ingestion features scoring notification)

if $build; then
  for service in "${services[@]}"; do
    dir="services/${service^}"
    docker build -f "$dir/Dockerfile" -t "$registry/dealrisk-$service:$tag" .
    docker push "$registry/dealrisk-$service:$tag"
  done
fi

mkdir -p "$out"
base=$(realpath --relative-to="$out" deploy/k8s)
{
  echo "# Written by deploy/scripts/release-images.sh: the base manifests with the images pushed to $registry."
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  # "bases" rather than "resources": the Kustomize in Debian's kubectl reads only that for a directory.
  echo "bases:"
  echo "  - $base"
  echo "images:"
  for service in "${services[@]}"; do
    echo "  - name: dealrisk/$service"
    echo "    newName: $registry/dealrisk-$service"
    echo "    newTag: \"$tag\""
  done
} > "$out/kustomization.yaml"
echo "Wrote $out/kustomization.yaml: kubectl apply -k $out"
