// Original file: proto/containers.proto

import type { ContainerStatus as _containers_ContainerStatus, ContainerStatus__Output as _containers_ContainerStatus__Output } from '../containers/ContainerStatus.ts';
import type { Long } from '@grpc/proto-loader';

export interface Container {
  'id'?: (string);
  'pid'?: (number);
  'status'?: (_containers_ContainerStatus);
  'interface'?: (string);
  'ipv4'?: (string);
  'ipv6'?: (string);
  'image'?: (string);
  'command'?: (string);
  'ram'?: (number | string);
  'swap'?: (number | string);
  'exit_code'?: (number);
  'restartcount'?: (number | string | Long);
  'startat'?: (string);
  'finishat'?: (string);
  'runtime'?: (string);
  'name'?: (string);
  'health_state'?: (string);
  'created'?: (number | string | Long);
  'ports'?: (string);
}

export interface Container__Output {
  'id': (string);
  'pid': (number);
  'status': (_containers_ContainerStatus__Output);
  'interface': (string);
  'ipv4': (string);
  'ipv6': (string);
  'image': (string);
  'command': (string);
  'ram': (number);
  'swap': (number);
  'exit_code': (number);
  'restartcount': (string);
  'startat': (string);
  'finishat': (string);
  'runtime': (string);
  'name': (string);
  'health_state': (string);
  'created': (string);
  'ports': (string);
}
