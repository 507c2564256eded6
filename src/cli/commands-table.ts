// The command table: name → description + lazy loader (T11). Only the chosen command's module
// is evaluated, so `isula version` never loads daemon, service, tar or cbor code. To add a
// command: write ./commands/<verb>.ts exporting `command: Command` and add ONE row here (keep
// rows sorted). Management commands (`isula volume ls`) go in MANAGEMENT_COMMANDS.

import type { Command } from './command.ts';

export interface CommandEntry {
  description: string;
  load: () => Promise<Command>;
}

export interface CommandGroup {
  description: string;
  subcommands: Record<string, CommandEntry>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  attach: { description: 'Attach to a running container', load: () => import('./commands/attach.ts').then((m) => m.command) },
  commit: { description: "Create a new image from a container's changes", load: () => import('./commands/commit.ts').then((m) => m.command) },
  completion: { description: 'Output a shell completion script (bash, zsh or fish)', load: () => import('./commands/completion.ts').then((m) => m.command) },
  cp: { description: 'Copy files/folders between a container and the local filesystem', load: () => import('./commands/cp.ts').then((m) => m.command) },
  create: { description: 'Create a new container', load: () => import('./commands/create.ts').then((m) => m.command) },
  events: { description: 'Get real time events from the server', load: () => import('./commands/events.ts').then((m) => m.command) },
  exec: { description: 'Run a command in a running container', load: () => import('./commands/exec.ts').then((m) => m.command) },
  export: { description: "Export a container's filesystem as a tar archive", load: () => import('./commands/export.ts').then((m) => m.command) },
  images: { description: 'List images', load: () => import('./commands/images.ts').then((m) => m.command) },
  import: { description: 'Import the contents from a tarball to create a filesystem image', load: () => import('./commands/import.ts').then((m) => m.command) },
  info: { description: 'Display system-wide information', load: () => import('./commands/info.ts').then((m) => m.command) },
  inspect: { description: 'Return low-level information on a container or image', load: () => import('./commands/inspect.ts').then((m) => m.command) },
  kill: { description: 'Kill one or more running containers', load: () => import('./commands/kill.ts').then((m) => m.command) },
  load: { description: 'Load an image from a tar archive', load: () => import('./commands/load.ts').then((m) => m.command) },
  logs: { description: 'Fetch the logs of a container', load: () => import('./commands/logs.ts').then((m) => m.command) },
  login: { description: 'Log in to a Docker registry', load: () => import('./commands/login.ts').then((m) => m.command) },
  logout: { description: 'Log out from a Docker registry', load: () => import('./commands/logout.ts').then((m) => m.command) },
  pause: { description: 'Pause all processes within one or more containers', load: () => import('./commands/pause.ts').then((m) => m.command) },
  ps: { description: 'List containers', load: () => import('./commands/ps.ts').then((m) => m.command) },
  pull: { description: 'Pull an image or a repository from a registry', load: () => import('./commands/pull.ts').then((m) => m.command) },
  push: { description: 'Push an image to a registry', load: () => import('./commands/push.ts').then((m) => m.command) },
  rename: { description: 'Rename a container', load: () => import('./commands/rename.ts').then((m) => m.command) },
  port: { description: 'List port mappings or a specific mapping for the container', load: () => import('./commands/port.ts').then((m) => m.command) },
  restart: { description: 'Restart one or more containers', load: () => import('./commands/restart.ts').then((m) => m.command) },
  rm: { description: 'Remove one or more containers', load: () => import('./commands/rm.ts').then((m) => m.command) },
  rmi: { description: 'Remove one or more images', load: () => import('./commands/rmi.ts').then((m) => m.command) },
  run: { description: 'Run a command in a new container', load: () => import('./commands/run.ts').then((m) => m.command) },
  save: { description: 'Save one or more images to a tar archive', load: () => import('./commands/save.ts').then((m) => m.command) },
  search: { description: 'Search the registry for images', load: () => import('./commands/search.ts').then((m) => m.command) },
  start: { description: 'Start one or more stopped containers', load: () => import('./commands/start.ts').then((m) => m.command) },
  stats: { description: 'Display a live stream of container(s) resource usage statistics', load: () => import('./commands/stats.ts').then((m) => m.command) },
  stop: { description: 'Stop one or more containers', load: () => import('./commands/stop.ts').then((m) => m.command) },
  tag: { description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: () => import('./commands/tag.ts').then((m) => m.command) },
  top: { description: 'Display the running processes of a container', load: () => import('./commands/top.ts').then((m) => m.command) },
  unpause: { description: 'Unpause all processes within one or more containers', load: () => import('./commands/unpause.ts').then((m) => m.command) },
  update: { description: 'Update configuration of one or more containers', load: () => import('./commands/update.ts').then((m) => m.command) },
  version: { description: 'Display information about isula', load: () => import('./commands/version.ts').then((m) => m.command) },
  wait: { description: 'Block until one or more containers stop, then print their exit codes', load: () => import('./commands/wait.ts').then((m) => m.command) },
};

export const MANAGEMENT_COMMANDS: Record<string, CommandGroup> = {
  network: {
    description: 'Manage networks',
    subcommands: {
      create: { description: 'Create a network', load: () => import('./commands/network-create.ts').then((m) => m.command) },
      inspect: { description: 'Inspect networks', load: () => import('./commands/network-inspect.ts').then((m) => m.command) },
      ls: { description: 'List networks', load: () => import('./commands/network-ls.ts').then((m) => m.command) },
      prune: { description: 'Remove all unused networks', load: () => import('./commands/network-prune.ts').then((m) => m.command) },
      rm: { description: 'Remove networks', load: () => import('./commands/network-rm.ts').then((m) => m.command) },
    },
  },
  volume: {
    description: 'Manage volumes',
    subcommands: {
      ls: { description: 'List volumes', load: () => import('./commands/volume-ls.ts').then((m) => m.command) },
      prune: { description: 'Remove all unused local volumes', load: () => import('./commands/volume-prune.ts').then((m) => m.command) },
      rm: { description: 'Remove one or more volumes', load: () => import('./commands/volume-rm.ts').then((m) => m.command) },
    },
  },
};
