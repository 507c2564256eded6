// Original file: proto/containers.proto

export const ContainerStatus = {
  UNKNOWN: 0,
  CREATED: 1,
  STARTING: 2,
  RUNNING: 3,
  STOPPED: 4,
  PAUSED: 5,
  RESTARTING: 6,
} as const;

export type ContainerStatus =
  | 'UNKNOWN'
  | 0
  | 'CREATED'
  | 1
  | 'STARTING'
  | 2
  | 'RUNNING'
  | 3
  | 'STOPPED'
  | 4
  | 'PAUSED'
  | 5
  | 'RESTARTING'
  | 6

export type ContainerStatus__Output = typeof ContainerStatus[keyof typeof ContainerStatus]
