// Original file: proto/containers.proto

import type { Long } from '@grpc/proto-loader';

export interface Container_info {
  'id'?: (string);
  'pids_current'?: (number | string | Long);
  'cpu_use_nanos'?: (number | string | Long);
  'cpu_use_user'?: (number | string | Long);
  'cpu_use_kernel'?: (number | string | Long);
  'cpu_system_use'?: (number | string | Long);
  'online_cpus'?: (number);
  'blkio_read'?: (number | string | Long);
  'blkio_write'?: (number | string | Long);
  'mem_used'?: (number | string | Long);
  'mem_limit'?: (number | string | Long);
  'kmem_used'?: (number | string | Long);
  'kmem_limit'?: (number | string | Long);
  'name'?: (string);
  'status'?: (string);
  'cache'?: (number | string | Long);
  'cache_total'?: (number | string | Long);
  'inactive_file_total'?: (number | string | Long);
  'avaliable_bytes'?: (number | string | Long);
  'workingset_bytes'?: (number | string | Long);
  'rss_bytes'?: (number | string | Long);
  'page_faults'?: (number | string | Long);
  'major_page_faults'?: (number | string | Long);
  'net_rx_bytes'?: (number | string | Long);
  'net_tx_bytes'?: (number | string | Long);
}

export interface Container_info__Output {
  'id': (string);
  'pids_current': (string);
  'cpu_use_nanos': (string);
  'cpu_use_user': (string);
  'cpu_use_kernel': (string);
  'cpu_system_use': (string);
  'online_cpus': (number);
  'blkio_read': (string);
  'blkio_write': (string);
  'mem_used': (string);
  'mem_limit': (string);
  'kmem_used': (string);
  'kmem_limit': (string);
  'name': (string);
  'status': (string);
  'cache': (string);
  'cache_total': (string);
  'inactive_file_total': (string);
  'avaliable_bytes': (string);
  'workingset_bytes': (string);
  'rss_bytes': (string);
  'page_faults': (string);
  'major_page_faults': (string);
  'net_rx_bytes': (string);
  'net_tx_bytes': (string);
}
