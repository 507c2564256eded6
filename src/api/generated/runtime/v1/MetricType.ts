// Original file: proto/cri.proto

export const MetricType = {
  COUNTER: 0,
  GAUGE: 1,
} as const;

export type MetricType =
  | 'COUNTER'
  | 0
  | 'GAUGE'
  | 1

export type MetricType__Output = typeof MetricType[keyof typeof MetricType]
