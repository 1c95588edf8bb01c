/*
 * The least a CNI plugin can be: read the configuration, print a fixed result on ADD, nothing on
 * DEL or CHECK. `bench/run.sh sandbox` runs three of these as a chain through containerd's CRI
 * (the "floor" rows of bench/results/sandbox.md): what exec'ing three plugins costs there before
 * any of them does work. Static, so no dynamic loader runs either. Not a plugin for any cluster:
 * every pod gets the same documentation address (192.0.2.2), and no interface is made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buffer[65536];
    while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
    }

    const char *command = getenv("CNI_COMMAND");
    const char *netns = getenv("CNI_NETNS");
    if (command != NULL && strcmp(command, "ADD") == 0) {
        printf("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"%s\"}],"
               "\"ips\":[{\"interface\":0,\"address\":\"192.0.2.2/24\"}]}\n",
               netns != NULL && strchr(netns, '"') == NULL ? netns : "");
    } else if (command != NULL && strcmp(command, "VERSION") == 0) {
        printf("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}\n");
    }

    return 0;
}
