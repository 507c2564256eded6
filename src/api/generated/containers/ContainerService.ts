// Original file: proto/containers.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AttachRequest as _containers_AttachRequest, AttachRequest__Output as _containers_AttachRequest__Output } from '../containers/AttachRequest.ts';
import type { AttachResponse as _containers_AttachResponse, AttachResponse__Output as _containers_AttachResponse__Output } from '../containers/AttachResponse.ts';
import type { CopyFromContainerRequest as _containers_CopyFromContainerRequest, CopyFromContainerRequest__Output as _containers_CopyFromContainerRequest__Output } from '../containers/CopyFromContainerRequest.ts';
import type { CopyFromContainerResponse as _containers_CopyFromContainerResponse, CopyFromContainerResponse__Output as _containers_CopyFromContainerResponse__Output } from '../containers/CopyFromContainerResponse.ts';
import type { CopyToContainerRequest as _containers_CopyToContainerRequest, CopyToContainerRequest__Output as _containers_CopyToContainerRequest__Output } from '../containers/CopyToContainerRequest.ts';
import type { CopyToContainerResponse as _containers_CopyToContainerResponse, CopyToContainerResponse__Output as _containers_CopyToContainerResponse__Output } from '../containers/CopyToContainerResponse.ts';
import type { CreateRequest as _containers_CreateRequest, CreateRequest__Output as _containers_CreateRequest__Output } from '../containers/CreateRequest.ts';
import type { CreateResponse as _containers_CreateResponse, CreateResponse__Output as _containers_CreateResponse__Output } from '../containers/CreateResponse.ts';
import type { DeleteRequest as _containers_DeleteRequest, DeleteRequest__Output as _containers_DeleteRequest__Output } from '../containers/DeleteRequest.ts';
import type { DeleteResponse as _containers_DeleteResponse, DeleteResponse__Output as _containers_DeleteResponse__Output } from '../containers/DeleteResponse.ts';
import type { Event as _containers_Event, Event__Output as _containers_Event__Output } from '../containers/Event.ts';
import type { EventsRequest as _containers_EventsRequest, EventsRequest__Output as _containers_EventsRequest__Output } from '../containers/EventsRequest.ts';
import type { ExecRequest as _containers_ExecRequest, ExecRequest__Output as _containers_ExecRequest__Output } from '../containers/ExecRequest.ts';
import type { ExecResponse as _containers_ExecResponse, ExecResponse__Output as _containers_ExecResponse__Output } from '../containers/ExecResponse.ts';
import type { ExportRequest as _containers_ExportRequest, ExportRequest__Output as _containers_ExportRequest__Output } from '../containers/ExportRequest.ts';
import type { ExportResponse as _containers_ExportResponse, ExportResponse__Output as _containers_ExportResponse__Output } from '../containers/ExportResponse.ts';
import type { InfoRequest as _containers_InfoRequest, InfoRequest__Output as _containers_InfoRequest__Output } from '../containers/InfoRequest.ts';
import type { InfoResponse as _containers_InfoResponse, InfoResponse__Output as _containers_InfoResponse__Output } from '../containers/InfoResponse.ts';
import type { InspectContainerRequest as _containers_InspectContainerRequest, InspectContainerRequest__Output as _containers_InspectContainerRequest__Output } from '../containers/InspectContainerRequest.ts';
import type { InspectContainerResponse as _containers_InspectContainerResponse, InspectContainerResponse__Output as _containers_InspectContainerResponse__Output } from '../containers/InspectContainerResponse.ts';
import type { KillRequest as _containers_KillRequest, KillRequest__Output as _containers_KillRequest__Output } from '../containers/KillRequest.ts';
import type { KillResponse as _containers_KillResponse, KillResponse__Output as _containers_KillResponse__Output } from '../containers/KillResponse.ts';
import type { ListRequest as _containers_ListRequest, ListRequest__Output as _containers_ListRequest__Output } from '../containers/ListRequest.ts';
import type { ListResponse as _containers_ListResponse, ListResponse__Output as _containers_ListResponse__Output } from '../containers/ListResponse.ts';
import type { LogsRequest as _containers_LogsRequest, LogsRequest__Output as _containers_LogsRequest__Output } from '../containers/LogsRequest.ts';
import type { LogsResponse as _containers_LogsResponse, LogsResponse__Output as _containers_LogsResponse__Output } from '../containers/LogsResponse.ts';
import type { PauseRequest as _containers_PauseRequest, PauseRequest__Output as _containers_PauseRequest__Output } from '../containers/PauseRequest.ts';
import type { PauseResponse as _containers_PauseResponse, PauseResponse__Output as _containers_PauseResponse__Output } from '../containers/PauseResponse.ts';
import type { RemoteExecRequest as _containers_RemoteExecRequest, RemoteExecRequest__Output as _containers_RemoteExecRequest__Output } from '../containers/RemoteExecRequest.ts';
import type { RemoteExecResponse as _containers_RemoteExecResponse, RemoteExecResponse__Output as _containers_RemoteExecResponse__Output } from '../containers/RemoteExecResponse.ts';
import type { RemoteStartRequest as _containers_RemoteStartRequest, RemoteStartRequest__Output as _containers_RemoteStartRequest__Output } from '../containers/RemoteStartRequest.ts';
import type { RemoteStartResponse as _containers_RemoteStartResponse, RemoteStartResponse__Output as _containers_RemoteStartResponse__Output } from '../containers/RemoteStartResponse.ts';
import type { RenameRequest as _containers_RenameRequest, RenameRequest__Output as _containers_RenameRequest__Output } from '../containers/RenameRequest.ts';
import type { RenameResponse as _containers_RenameResponse, RenameResponse__Output as _containers_RenameResponse__Output } from '../containers/RenameResponse.ts';
import type { ResizeRequest as _containers_ResizeRequest, ResizeRequest__Output as _containers_ResizeRequest__Output } from '../containers/ResizeRequest.ts';
import type { ResizeResponse as _containers_ResizeResponse, ResizeResponse__Output as _containers_ResizeResponse__Output } from '../containers/ResizeResponse.ts';
import type { RestartRequest as _containers_RestartRequest, RestartRequest__Output as _containers_RestartRequest__Output } from '../containers/RestartRequest.ts';
import type { RestartResponse as _containers_RestartResponse, RestartResponse__Output as _containers_RestartResponse__Output } from '../containers/RestartResponse.ts';
import type { ResumeRequest as _containers_ResumeRequest, ResumeRequest__Output as _containers_ResumeRequest__Output } from '../containers/ResumeRequest.ts';
import type { ResumeResponse as _containers_ResumeResponse, ResumeResponse__Output as _containers_ResumeResponse__Output } from '../containers/ResumeResponse.ts';
import type { StartRequest as _containers_StartRequest, StartRequest__Output as _containers_StartRequest__Output } from '../containers/StartRequest.ts';
import type { StartResponse as _containers_StartResponse, StartResponse__Output as _containers_StartResponse__Output } from '../containers/StartResponse.ts';
import type { StatsRequest as _containers_StatsRequest, StatsRequest__Output as _containers_StatsRequest__Output } from '../containers/StatsRequest.ts';
import type { StatsResponse as _containers_StatsResponse, StatsResponse__Output as _containers_StatsResponse__Output } from '../containers/StatsResponse.ts';
import type { StopRequest as _containers_StopRequest, StopRequest__Output as _containers_StopRequest__Output } from '../containers/StopRequest.ts';
import type { StopResponse as _containers_StopResponse, StopResponse__Output as _containers_StopResponse__Output } from '../containers/StopResponse.ts';
import type { TopRequest as _containers_TopRequest, TopRequest__Output as _containers_TopRequest__Output } from '../containers/TopRequest.ts';
import type { TopResponse as _containers_TopResponse, TopResponse__Output as _containers_TopResponse__Output } from '../containers/TopResponse.ts';
import type { UpdateRequest as _containers_UpdateRequest, UpdateRequest__Output as _containers_UpdateRequest__Output } from '../containers/UpdateRequest.ts';
import type { UpdateResponse as _containers_UpdateResponse, UpdateResponse__Output as _containers_UpdateResponse__Output } from '../containers/UpdateResponse.ts';
import type { VersionRequest as _containers_VersionRequest, VersionRequest__Output as _containers_VersionRequest__Output } from '../containers/VersionRequest.ts';
import type { VersionResponse as _containers_VersionResponse, VersionResponse__Output as _containers_VersionResponse__Output } from '../containers/VersionResponse.ts';
import type { WaitRequest as _containers_WaitRequest, WaitRequest__Output as _containers_WaitRequest__Output } from '../containers/WaitRequest.ts';
import type { WaitResponse as _containers_WaitResponse, WaitResponse__Output as _containers_WaitResponse__Output } from '../containers/WaitResponse.ts';

export interface ContainerServiceClient extends grpc.Client {
  Attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_AttachRequest, _containers_AttachResponse__Output>;
  Attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_AttachRequest, _containers_AttachResponse__Output>;
  attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_AttachRequest, _containers_AttachResponse__Output>;
  attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_AttachRequest, _containers_AttachResponse__Output>;
  
  CopyFromContainer(argument: _containers_CopyFromContainerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  CopyFromContainer(argument: _containers_CopyFromContainerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  copyFromContainer(argument: _containers_CopyFromContainerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  copyFromContainer(argument: _containers_CopyFromContainerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  
  CopyToContainer(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  CopyToContainer(metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  CopyToContainer(options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  CopyToContainer(callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  copyToContainer(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  copyToContainer(metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  copyToContainer(options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  copyToContainer(callback: grpc.requestCallback<_containers_CopyToContainerResponse__Output>): grpc.ClientWritableStream<_containers_CopyToContainerRequest>;
  
  Create(argument: _containers_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _containers_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _containers_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _containers_CreateRequest, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _containers_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _containers_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _containers_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _containers_CreateRequest, callback: grpc.requestCallback<_containers_CreateResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _containers_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _containers_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _containers_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _containers_DeleteRequest, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _containers_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _containers_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _containers_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _containers_DeleteRequest, callback: grpc.requestCallback<_containers_DeleteResponse__Output>): grpc.ClientUnaryCall;
  
  Events(argument: _containers_EventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_Event__Output>;
  Events(argument: _containers_EventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_Event__Output>;
  events(argument: _containers_EventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_Event__Output>;
  events(argument: _containers_EventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_Event__Output>;
  
  Exec(argument: _containers_ExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  Exec(argument: _containers_ExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  Exec(argument: _containers_ExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  Exec(argument: _containers_ExecRequest, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  exec(argument: _containers_ExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  exec(argument: _containers_ExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  exec(argument: _containers_ExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  exec(argument: _containers_ExecRequest, callback: grpc.requestCallback<_containers_ExecResponse__Output>): grpc.ClientUnaryCall;
  
  Export(argument: _containers_ExportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  Export(argument: _containers_ExportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  Export(argument: _containers_ExportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  Export(argument: _containers_ExportRequest, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  export(argument: _containers_ExportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  export(argument: _containers_ExportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  export(argument: _containers_ExportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  export(argument: _containers_ExportRequest, callback: grpc.requestCallback<_containers_ExportResponse__Output>): grpc.ClientUnaryCall;
  
  ExportStream(argument: _containers_ExportRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  ExportStream(argument: _containers_ExportRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  exportStream(argument: _containers_ExportRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  exportStream(argument: _containers_ExportRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_CopyFromContainerResponse__Output>;
  
  Info(argument: _containers_InfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _containers_InfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _containers_InfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _containers_InfoRequest, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _containers_InfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _containers_InfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _containers_InfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _containers_InfoRequest, callback: grpc.requestCallback<_containers_InfoResponse__Output>): grpc.ClientUnaryCall;
  
  Inspect(argument: _containers_InspectContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _containers_InspectContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _containers_InspectContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _containers_InspectContainerRequest, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _containers_InspectContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _containers_InspectContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _containers_InspectContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _containers_InspectContainerRequest, callback: grpc.requestCallback<_containers_InspectContainerResponse__Output>): grpc.ClientUnaryCall;
  
  Kill(argument: _containers_KillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  Kill(argument: _containers_KillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  Kill(argument: _containers_KillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  Kill(argument: _containers_KillRequest, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  kill(argument: _containers_KillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  kill(argument: _containers_KillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  kill(argument: _containers_KillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  kill(argument: _containers_KillRequest, callback: grpc.requestCallback<_containers_KillResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _containers_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _containers_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _containers_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _containers_ListRequest, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _containers_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _containers_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _containers_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _containers_ListRequest, callback: grpc.requestCallback<_containers_ListResponse__Output>): grpc.ClientUnaryCall;
  
  Logs(argument: _containers_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_LogsResponse__Output>;
  Logs(argument: _containers_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_LogsResponse__Output>;
  logs(argument: _containers_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_LogsResponse__Output>;
  logs(argument: _containers_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_containers_LogsResponse__Output>;
  
  Pause(argument: _containers_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _containers_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _containers_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _containers_PauseRequest, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _containers_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _containers_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _containers_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _containers_PauseRequest, callback: grpc.requestCallback<_containers_PauseResponse__Output>): grpc.ClientUnaryCall;
  
  RemoteExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteExecRequest, _containers_RemoteExecResponse__Output>;
  RemoteExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteExecRequest, _containers_RemoteExecResponse__Output>;
  remoteExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteExecRequest, _containers_RemoteExecResponse__Output>;
  remoteExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteExecRequest, _containers_RemoteExecResponse__Output>;
  
  RemoteStart(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteStartRequest, _containers_RemoteStartResponse__Output>;
  RemoteStart(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteStartRequest, _containers_RemoteStartResponse__Output>;
  remoteStart(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteStartRequest, _containers_RemoteStartResponse__Output>;
  remoteStart(options?: grpc.CallOptions): grpc.ClientDuplexStream<_containers_RemoteStartRequest, _containers_RemoteStartResponse__Output>;
  
  Rename(argument: _containers_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  Rename(argument: _containers_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  Rename(argument: _containers_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  Rename(argument: _containers_RenameRequest, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  rename(argument: _containers_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  rename(argument: _containers_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  rename(argument: _containers_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  rename(argument: _containers_RenameRequest, callback: grpc.requestCallback<_containers_RenameResponse__Output>): grpc.ClientUnaryCall;
  
  Resize(argument: _containers_ResizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  Resize(argument: _containers_ResizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  Resize(argument: _containers_ResizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  Resize(argument: _containers_ResizeRequest, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  resize(argument: _containers_ResizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  resize(argument: _containers_ResizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  resize(argument: _containers_ResizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  resize(argument: _containers_ResizeRequest, callback: grpc.requestCallback<_containers_ResizeResponse__Output>): grpc.ClientUnaryCall;
  
  Restart(argument: _containers_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  Restart(argument: _containers_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  Restart(argument: _containers_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  Restart(argument: _containers_RestartRequest, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  restart(argument: _containers_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  restart(argument: _containers_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  restart(argument: _containers_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  restart(argument: _containers_RestartRequest, callback: grpc.requestCallback<_containers_RestartResponse__Output>): grpc.ClientUnaryCall;
  
  Resume(argument: _containers_ResumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _containers_ResumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _containers_ResumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _containers_ResumeRequest, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _containers_ResumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _containers_ResumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _containers_ResumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _containers_ResumeRequest, callback: grpc.requestCallback<_containers_ResumeResponse__Output>): grpc.ClientUnaryCall;
  
  Start(argument: _containers_StartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  Start(argument: _containers_StartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  Start(argument: _containers_StartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  Start(argument: _containers_StartRequest, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  start(argument: _containers_StartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  start(argument: _containers_StartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  start(argument: _containers_StartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  start(argument: _containers_StartRequest, callback: grpc.requestCallback<_containers_StartResponse__Output>): grpc.ClientUnaryCall;
  
  Stats(argument: _containers_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _containers_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _containers_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _containers_StatsRequest, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _containers_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _containers_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _containers_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _containers_StatsRequest, callback: grpc.requestCallback<_containers_StatsResponse__Output>): grpc.ClientUnaryCall;
  
  Stop(argument: _containers_StopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  Stop(argument: _containers_StopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  Stop(argument: _containers_StopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  Stop(argument: _containers_StopRequest, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  stop(argument: _containers_StopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  stop(argument: _containers_StopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  stop(argument: _containers_StopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  stop(argument: _containers_StopRequest, callback: grpc.requestCallback<_containers_StopResponse__Output>): grpc.ClientUnaryCall;
  
  Top(argument: _containers_TopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _containers_TopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _containers_TopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _containers_TopRequest, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _containers_TopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _containers_TopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _containers_TopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _containers_TopRequest, callback: grpc.requestCallback<_containers_TopResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _containers_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _containers_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _containers_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  Update(argument: _containers_UpdateRequest, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _containers_UpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _containers_UpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _containers_UpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  update(argument: _containers_UpdateRequest, callback: grpc.requestCallback<_containers_UpdateResponse__Output>): grpc.ClientUnaryCall;
  
  Version(argument: _containers_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _containers_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _containers_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _containers_VersionRequest, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _containers_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _containers_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _containers_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _containers_VersionRequest, callback: grpc.requestCallback<_containers_VersionResponse__Output>): grpc.ClientUnaryCall;
  
  Wait(argument: _containers_WaitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  Wait(argument: _containers_WaitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  Wait(argument: _containers_WaitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  Wait(argument: _containers_WaitRequest, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  wait(argument: _containers_WaitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  wait(argument: _containers_WaitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  wait(argument: _containers_WaitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  wait(argument: _containers_WaitRequest, callback: grpc.requestCallback<_containers_WaitResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ContainerServiceHandlers extends grpc.UntypedServiceImplementation {
  Attach: grpc.handleBidiStreamingCall<_containers_AttachRequest__Output, _containers_AttachResponse>;
  
  CopyFromContainer: grpc.handleServerStreamingCall<_containers_CopyFromContainerRequest__Output, _containers_CopyFromContainerResponse>;
  
  CopyToContainer: grpc.handleClientStreamingCall<_containers_CopyToContainerRequest__Output, _containers_CopyToContainerResponse>;
  
  Create: grpc.handleUnaryCall<_containers_CreateRequest__Output, _containers_CreateResponse>;
  
  Delete: grpc.handleUnaryCall<_containers_DeleteRequest__Output, _containers_DeleteResponse>;
  
  Events: grpc.handleServerStreamingCall<_containers_EventsRequest__Output, _containers_Event>;
  
  Exec: grpc.handleUnaryCall<_containers_ExecRequest__Output, _containers_ExecResponse>;
  
  Export: grpc.handleUnaryCall<_containers_ExportRequest__Output, _containers_ExportResponse>;
  
  ExportStream: grpc.handleServerStreamingCall<_containers_ExportRequest__Output, _containers_CopyFromContainerResponse>;
  
  Info: grpc.handleUnaryCall<_containers_InfoRequest__Output, _containers_InfoResponse>;
  
  Inspect: grpc.handleUnaryCall<_containers_InspectContainerRequest__Output, _containers_InspectContainerResponse>;
  
  Kill: grpc.handleUnaryCall<_containers_KillRequest__Output, _containers_KillResponse>;
  
  List: grpc.handleUnaryCall<_containers_ListRequest__Output, _containers_ListResponse>;
  
  Logs: grpc.handleServerStreamingCall<_containers_LogsRequest__Output, _containers_LogsResponse>;
  
  Pause: grpc.handleUnaryCall<_containers_PauseRequest__Output, _containers_PauseResponse>;
  
  RemoteExec: grpc.handleBidiStreamingCall<_containers_RemoteExecRequest__Output, _containers_RemoteExecResponse>;
  
  RemoteStart: grpc.handleBidiStreamingCall<_containers_RemoteStartRequest__Output, _containers_RemoteStartResponse>;
  
  Rename: grpc.handleUnaryCall<_containers_RenameRequest__Output, _containers_RenameResponse>;
  
  Resize: grpc.handleUnaryCall<_containers_ResizeRequest__Output, _containers_ResizeResponse>;
  
  Restart: grpc.handleUnaryCall<_containers_RestartRequest__Output, _containers_RestartResponse>;
  
  Resume: grpc.handleUnaryCall<_containers_ResumeRequest__Output, _containers_ResumeResponse>;
  
  Start: grpc.handleUnaryCall<_containers_StartRequest__Output, _containers_StartResponse>;
  
  Stats: grpc.handleUnaryCall<_containers_StatsRequest__Output, _containers_StatsResponse>;
  
  Stop: grpc.handleUnaryCall<_containers_StopRequest__Output, _containers_StopResponse>;
  
  Top: grpc.handleUnaryCall<_containers_TopRequest__Output, _containers_TopResponse>;
  
  Update: grpc.handleUnaryCall<_containers_UpdateRequest__Output, _containers_UpdateResponse>;
  
  Version: grpc.handleUnaryCall<_containers_VersionRequest__Output, _containers_VersionResponse>;
  
  Wait: grpc.handleUnaryCall<_containers_WaitRequest__Output, _containers_WaitResponse>;
  
}

export interface ContainerServiceDefinition extends grpc.ServiceDefinition {
  Attach: MethodDefinition<_containers_AttachRequest, _containers_AttachResponse, _containers_AttachRequest__Output, _containers_AttachResponse__Output>
  CopyFromContainer: MethodDefinition<_containers_CopyFromContainerRequest, _containers_CopyFromContainerResponse, _containers_CopyFromContainerRequest__Output, _containers_CopyFromContainerResponse__Output>
  CopyToContainer: MethodDefinition<_containers_CopyToContainerRequest, _containers_CopyToContainerResponse, _containers_CopyToContainerRequest__Output, _containers_CopyToContainerResponse__Output>
  Create: MethodDefinition<_containers_CreateRequest, _containers_CreateResponse, _containers_CreateRequest__Output, _containers_CreateResponse__Output>
  Delete: MethodDefinition<_containers_DeleteRequest, _containers_DeleteResponse, _containers_DeleteRequest__Output, _containers_DeleteResponse__Output>
  Events: MethodDefinition<_containers_EventsRequest, _containers_Event, _containers_EventsRequest__Output, _containers_Event__Output>
  Exec: MethodDefinition<_containers_ExecRequest, _containers_ExecResponse, _containers_ExecRequest__Output, _containers_ExecResponse__Output>
  Export: MethodDefinition<_containers_ExportRequest, _containers_ExportResponse, _containers_ExportRequest__Output, _containers_ExportResponse__Output>
  ExportStream: MethodDefinition<_containers_ExportRequest, _containers_CopyFromContainerResponse, _containers_ExportRequest__Output, _containers_CopyFromContainerResponse__Output>
  Info: MethodDefinition<_containers_InfoRequest, _containers_InfoResponse, _containers_InfoRequest__Output, _containers_InfoResponse__Output>
  Inspect: MethodDefinition<_containers_InspectContainerRequest, _containers_InspectContainerResponse, _containers_InspectContainerRequest__Output, _containers_InspectContainerResponse__Output>
  Kill: MethodDefinition<_containers_KillRequest, _containers_KillResponse, _containers_KillRequest__Output, _containers_KillResponse__Output>
  List: MethodDefinition<_containers_ListRequest, _containers_ListResponse, _containers_ListRequest__Output, _containers_ListResponse__Output>
  Logs: MethodDefinition<_containers_LogsRequest, _containers_LogsResponse, _containers_LogsRequest__Output, _containers_LogsResponse__Output>
  Pause: MethodDefinition<_containers_PauseRequest, _containers_PauseResponse, _containers_PauseRequest__Output, _containers_PauseResponse__Output>
  RemoteExec: MethodDefinition<_containers_RemoteExecRequest, _containers_RemoteExecResponse, _containers_RemoteExecRequest__Output, _containers_RemoteExecResponse__Output>
  RemoteStart: MethodDefinition<_containers_RemoteStartRequest, _containers_RemoteStartResponse, _containers_RemoteStartRequest__Output, _containers_RemoteStartResponse__Output>
  Rename: MethodDefinition<_containers_RenameRequest, _containers_RenameResponse, _containers_RenameRequest__Output, _containers_RenameResponse__Output>
  Resize: MethodDefinition<_containers_ResizeRequest, _containers_ResizeResponse, _containers_ResizeRequest__Output, _containers_ResizeResponse__Output>
  Restart: MethodDefinition<_containers_RestartRequest, _containers_RestartResponse, _containers_RestartRequest__Output, _containers_RestartResponse__Output>
  Resume: MethodDefinition<_containers_ResumeRequest, _containers_ResumeResponse, _containers_ResumeRequest__Output, _containers_ResumeResponse__Output>
  Start: MethodDefinition<_containers_StartRequest, _containers_StartResponse, _containers_StartRequest__Output, _containers_StartResponse__Output>
  Stats: MethodDefinition<_containers_StatsRequest, _containers_StatsResponse, _containers_StatsRequest__Output, _containers_StatsResponse__Output>
  Stop: MethodDefinition<_containers_StopRequest, _containers_StopResponse, _containers_StopRequest__Output, _containers_StopResponse__Output>
  Top: MethodDefinition<_containers_TopRequest, _containers_TopResponse, _containers_TopRequest__Output, _containers_TopResponse__Output>
  Update: MethodDefinition<_containers_UpdateRequest, _containers_UpdateResponse, _containers_UpdateRequest__Output, _containers_UpdateResponse__Output>
  Version: MethodDefinition<_containers_VersionRequest, _containers_VersionResponse, _containers_VersionRequest__Output, _containers_VersionResponse__Output>
  Wait: MethodDefinition<_containers_WaitRequest, _containers_WaitResponse, _containers_WaitRequest__Output, _containers_WaitResponse__Output>
}
