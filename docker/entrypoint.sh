#!/bin/sh
# The image's entrypoint: starts the service ("$@", the java command of the Dockerfile) as the
# owner of the routes folder, never as root.
#
# docker-compose.yml starts the container as root and mounts ./routes on ROUTES_DIR (/routes),
# so that whoever owns the clone (uid 1000 on a laptop, another uid, root on a server) gets a
# folder the service can fill at the first start and files that stay theirs to edit, with
# nothing to set first. Root is used here only to read the folder's owner (and, for a
# root-owned folder, to fill it); Java then runs as:
#   - the folder's owner, uid and gid (a gid of 0 becomes 10001: not root's group either);
#   - uid 10001, the image's user, when the folder is root's: it reads the route files, which
#     stay root's. The folder is not handed to 10001 (chown): on the host that uid may be
#     another person's, who could then write code into the service's routes.
# Without ROUTES_DIR, or without a folder there, Java runs as 10001. Started as any other user
# (the image's USER when compose is not used, or `user:` in an override), it starts as is.
# `exec` all the way: Java becomes PID 1 and gets the container's SIGTERM (graceful stop).
set -eu

image_user=10001

if [ "$(id -u)" != 0 ]; then
    exec "$@"
fi

uid=$image_user
gid=$image_user
dir=${ROUTES_DIR:-}
if [ -n "$dir" ] && [ -d "$dir" ]; then
    owner_uid=$(stat -c %u "$dir")
    owner_gid=$(stat -c %g "$dir")
    if [ "$owner_uid" != 0 ]; then
        uid=$owner_uid
        [ "$owner_gid" = 0 ] || gid=$owner_gid
    elif ! ls "$dir" | grep -q '\.camel\.yaml$'; then
        # root's folder, without routes yet: Java (as 10001) could not write there, so the
        # shipped routes are copied now, as the service itself does in a folder it owns
        # (RoutesDirectory.seed: only when no *.camel.yaml is there); they stay root's
        if cp /app/shipped-routes/*.camel.yaml "$dir"/ && chown "$owner_uid:$owner_gid" "$dir"/*.camel.yaml; then
            echo "entrypoint: filled $dir (root's) with the shipped routes; the service reads them as uid $uid" >&2
        else
            echo "entrypoint: could not fill $dir with the shipped routes; the service will say why it does not use it" >&2
        fi
    fi
fi

# no supplementary groups, no inheritable capabilities (the change of uid clears the others),
# and no way back to privileges through a set-uid binary
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --no-new-privs -- "$@"
