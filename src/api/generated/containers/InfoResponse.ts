// Original file: proto/containers.proto

import type { Long } from '@grpc/proto-loader';

export interface InfoResponse {
  'cc'?: (number);
  'errmsg'?: (string);
  'version'?: (string);
  'containers_num'?: (number);
  'c_running'?: (number);
  'c_paused'?: (number);
  'c_stopped'?: (number);
  'images_num'?: (number);
  'kversion'?: (string);
  'os_type'?: (string);
  'architecture'?: (string);
  'nodename'?: (string);
  'cpus'?: (number);
  'operating_system'?: (string);
  'cgroup_driver'?: (string);
  'logging_driver'?: (string);
  'huge_page_size'?: (string);
  'isulad_root_dir'?: (string);
  'total_mem'?: (number | string | Long);
  'http_proxy'?: (string);
  'https_proxy'?: (string);
  'no_proxy'?: (string);
  'driver_name'?: (string);
  'driver_status'?: (string);
  'cgroup_version'?: (string);
  'root_dir_free'?: (number | string | Long);
  'root_dir_size'?: (number | string | Long);
  'runtimes'?: (string)[];
  'default_runtime'?: (string);
  'cni_plugins'?: (string)[];
  'cni_bin_dirs'?: (string)[];
  'unusable_runtimes'?: (string)[];
}

export interface InfoResponse__Output {
  'cc': (number);
  'errmsg': (string);
  'version': (string);
  'containers_num': (number);
  'c_running': (number);
  'c_paused': (number);
  'c_stopped': (number);
  'images_num': (number);
  'kversion': (string);
  'os_type': (string);
  'architecture': (string);
  'nodename': (string);
  'cpus': (number);
  'operating_system': (string);
  'cgroup_driver': (string);
  'logging_driver': (string);
  'huge_page_size': (string);
  'isulad_root_dir': (string);
  'total_mem': (string);
  'http_proxy': (string);
  'https_proxy': (string);
  'no_proxy': (string);
  'driver_name': (string);
  'driver_status': (string);
  'cgroup_version': (string);
  'root_dir_free': (string);
  'root_dir_size': (string);
  'runtimes': (string)[];
  'default_runtime': (string);
  'cni_plugins': (string)[];
  'cni_bin_dirs': (string)[];
  'unusable_runtimes': (string)[];
}
