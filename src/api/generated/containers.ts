import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AttachRequest as _containers_AttachRequest, AttachRequest__Output as _containers_AttachRequest__Output } from './containers/AttachRequest.ts';
import type { AttachResponse as _containers_AttachResponse, AttachResponse__Output as _containers_AttachResponse__Output } from './containers/AttachResponse.ts';
import type { Container as _containers_Container, Container__Output as _containers_Container__Output } from './containers/Container.ts';
import type { ContainerServiceClient as _containers_ContainerServiceClient, ContainerServiceDefinition as _containers_ContainerServiceDefinition } from './containers/ContainerService.ts';
import type { Container_info as _containers_Container_info, Container_info__Output as _containers_Container_info__Output } from './containers/Container_info.ts';
import type { CopyFromContainerRequest as _containers_CopyFromContainerRequest, CopyFromContainerRequest__Output as _containers_CopyFromContainerRequest__Output } from './containers/CopyFromContainerRequest.ts';
import type { CopyFromContainerResponse as _containers_CopyFromContainerResponse, CopyFromContainerResponse__Output as _containers_CopyFromContainerResponse__Output } from './containers/CopyFromContainerResponse.ts';
import type { CopyToContainerRequest as _containers_CopyToContainerRequest, CopyToContainerRequest__Output as _containers_CopyToContainerRequest__Output } from './containers/CopyToContainerRequest.ts';
import type { CopyToContainerResponse as _containers_CopyToContainerResponse, CopyToContainerResponse__Output as _containers_CopyToContainerResponse__Output } from './containers/CopyToContainerResponse.ts';
import type { CreateRequest as _containers_CreateRequest, CreateRequest__Output as _containers_CreateRequest__Output } from './containers/CreateRequest.ts';
import type { CreateResponse as _containers_CreateResponse, CreateResponse__Output as _containers_CreateResponse__Output } from './containers/CreateResponse.ts';
import type { DeleteRequest as _containers_DeleteRequest, DeleteRequest__Output as _containers_DeleteRequest__Output } from './containers/DeleteRequest.ts';
import type { DeleteResponse as _containers_DeleteResponse, DeleteResponse__Output as _containers_DeleteResponse__Output } from './containers/DeleteResponse.ts';
import type { Event as _containers_Event, Event__Output as _containers_Event__Output } from './containers/Event.ts';
import type { EventsRequest as _containers_EventsRequest, EventsRequest__Output as _containers_EventsRequest__Output } from './containers/EventsRequest.ts';
import type { ExecRequest as _containers_ExecRequest, ExecRequest__Output as _containers_ExecRequest__Output } from './containers/ExecRequest.ts';
import type { ExecResponse as _containers_ExecResponse, ExecResponse__Output as _containers_ExecResponse__Output } from './containers/ExecResponse.ts';
import type { ExportRequest as _containers_ExportRequest, ExportRequest__Output as _containers_ExportRequest__Output } from './containers/ExportRequest.ts';
import type { ExportResponse as _containers_ExportResponse, ExportResponse__Output as _containers_ExportResponse__Output } from './containers/ExportResponse.ts';
import type { InfoRequest as _containers_InfoRequest, InfoRequest__Output as _containers_InfoRequest__Output } from './containers/InfoRequest.ts';
import type { InfoResponse as _containers_InfoResponse, InfoResponse__Output as _containers_InfoResponse__Output } from './containers/InfoResponse.ts';
import type { InspectContainerRequest as _containers_InspectContainerRequest, InspectContainerRequest__Output as _containers_InspectContainerRequest__Output } from './containers/InspectContainerRequest.ts';
import type { InspectContainerResponse as _containers_InspectContainerResponse, InspectContainerResponse__Output as _containers_InspectContainerResponse__Output } from './containers/InspectContainerResponse.ts';
import type { KillRequest as _containers_KillRequest, KillRequest__Output as _containers_KillRequest__Output } from './containers/KillRequest.ts';
import type { KillResponse as _containers_KillResponse, KillResponse__Output as _containers_KillResponse__Output } from './containers/KillResponse.ts';
import type { ListRequest as _containers_ListRequest, ListRequest__Output as _containers_ListRequest__Output } from './containers/ListRequest.ts';
import type { ListResponse as _containers_ListResponse, ListResponse__Output as _containers_ListResponse__Output } from './containers/ListResponse.ts';
import type { LogsRequest as _containers_LogsRequest, LogsRequest__Output as _containers_LogsRequest__Output } from './containers/LogsRequest.ts';
import type { LogsResponse as _containers_LogsResponse, LogsResponse__Output as _containers_LogsResponse__Output } from './containers/LogsResponse.ts';
import type { PauseRequest as _containers_PauseRequest, PauseRequest__Output as _containers_PauseRequest__Output } from './containers/PauseRequest.ts';
import type { PauseResponse as _containers_PauseResponse, PauseResponse__Output as _containers_PauseResponse__Output } from './containers/PauseResponse.ts';
import type { RemoteExecRequest as _containers_RemoteExecRequest, RemoteExecRequest__Output as _containers_RemoteExecRequest__Output } from './containers/RemoteExecRequest.ts';
import type { RemoteExecResponse as _containers_RemoteExecResponse, RemoteExecResponse__Output as _containers_RemoteExecResponse__Output } from './containers/RemoteExecResponse.ts';
import type { RemoteStartRequest as _containers_RemoteStartRequest, RemoteStartRequest__Output as _containers_RemoteStartRequest__Output } from './containers/RemoteStartRequest.ts';
import type { RemoteStartResponse as _containers_RemoteStartResponse, RemoteStartResponse__Output as _containers_RemoteStartResponse__Output } from './containers/RemoteStartResponse.ts';
import type { RenameRequest as _containers_RenameRequest, RenameRequest__Output as _containers_RenameRequest__Output } from './containers/RenameRequest.ts';
import type { RenameResponse as _containers_RenameResponse, RenameResponse__Output as _containers_RenameResponse__Output } from './containers/RenameResponse.ts';
import type { ResizeRequest as _containers_ResizeRequest, ResizeRequest__Output as _containers_ResizeRequest__Output } from './containers/ResizeRequest.ts';
import type { ResizeResponse as _containers_ResizeResponse, ResizeResponse__Output as _containers_ResizeResponse__Output } from './containers/ResizeResponse.ts';
import type { RestartRequest as _containers_RestartRequest, RestartRequest__Output as _containers_RestartRequest__Output } from './containers/RestartRequest.ts';
import type { RestartResponse as _containers_RestartResponse, RestartResponse__Output as _containers_RestartResponse__Output } from './containers/RestartResponse.ts';
import type { ResumeRequest as _containers_ResumeRequest, ResumeRequest__Output as _containers_ResumeRequest__Output } from './containers/ResumeRequest.ts';
import type { ResumeResponse as _containers_ResumeResponse, ResumeResponse__Output as _containers_ResumeResponse__Output } from './containers/ResumeResponse.ts';
import type { StartRequest as _containers_StartRequest, StartRequest__Output as _containers_StartRequest__Output } from './containers/StartRequest.ts';
import type { StartResponse as _containers_StartResponse, StartResponse__Output as _containers_StartResponse__Output } from './containers/StartResponse.ts';
import type { StatsRequest as _containers_StatsRequest, StatsRequest__Output as _containers_StatsRequest__Output } from './containers/StatsRequest.ts';
import type { StatsResponse as _containers_StatsResponse, StatsResponse__Output as _containers_StatsResponse__Output } from './containers/StatsResponse.ts';
import type { StopRequest as _containers_StopRequest, StopRequest__Output as _containers_StopRequest__Output } from './containers/StopRequest.ts';
import type { StopResponse as _containers_StopResponse, StopResponse__Output as _containers_StopResponse__Output } from './containers/StopResponse.ts';
import type { TopRequest as _containers_TopRequest, TopRequest__Output as _containers_TopRequest__Output } from './containers/TopRequest.ts';
import type { TopResponse as _containers_TopResponse, TopResponse__Output as _containers_TopResponse__Output } from './containers/TopResponse.ts';
import type { UpdateRequest as _containers_UpdateRequest, UpdateRequest__Output as _containers_UpdateRequest__Output } from './containers/UpdateRequest.ts';
import type { UpdateResponse as _containers_UpdateResponse, UpdateResponse__Output as _containers_UpdateResponse__Output } from './containers/UpdateResponse.ts';
import type { VersionRequest as _containers_VersionRequest, VersionRequest__Output as _containers_VersionRequest__Output } from './containers/VersionRequest.ts';
import type { VersionResponse as _containers_VersionResponse, VersionResponse__Output as _containers_VersionResponse__Output } from './containers/VersionResponse.ts';
import type { WaitRequest as _containers_WaitRequest, WaitRequest__Output as _containers_WaitRequest__Output } from './containers/WaitRequest.ts';
import type { WaitResponse as _containers_WaitResponse, WaitResponse__Output as _containers_WaitResponse__Output } from './containers/WaitResponse.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  containers: {
    AttachRequest: MessageTypeDefinition<_containers_AttachRequest, _containers_AttachRequest__Output>
    AttachResponse: MessageTypeDefinition<_containers_AttachResponse, _containers_AttachResponse__Output>
    Container: MessageTypeDefinition<_containers_Container, _containers_Container__Output>
    ContainerService: SubtypeConstructor<typeof grpc.Client, _containers_ContainerServiceClient> & { service: _containers_ContainerServiceDefinition }
    ContainerStatus: EnumTypeDefinition
    Container_info: MessageTypeDefinition<_containers_Container_info, _containers_Container_info__Output>
    CopyFromContainerRequest: MessageTypeDefinition<_containers_CopyFromContainerRequest, _containers_CopyFromContainerRequest__Output>
    CopyFromContainerResponse: MessageTypeDefinition<_containers_CopyFromContainerResponse, _containers_CopyFromContainerResponse__Output>
    CopyToContainerRequest: MessageTypeDefinition<_containers_CopyToContainerRequest, _containers_CopyToContainerRequest__Output>
    CopyToContainerResponse: MessageTypeDefinition<_containers_CopyToContainerResponse, _containers_CopyToContainerResponse__Output>
    CreateRequest: MessageTypeDefinition<_containers_CreateRequest, _containers_CreateRequest__Output>
    CreateResponse: MessageTypeDefinition<_containers_CreateResponse, _containers_CreateResponse__Output>
    DeleteRequest: MessageTypeDefinition<_containers_DeleteRequest, _containers_DeleteRequest__Output>
    DeleteResponse: MessageTypeDefinition<_containers_DeleteResponse, _containers_DeleteResponse__Output>
    Event: MessageTypeDefinition<_containers_Event, _containers_Event__Output>
    EventsRequest: MessageTypeDefinition<_containers_EventsRequest, _containers_EventsRequest__Output>
    ExecRequest: MessageTypeDefinition<_containers_ExecRequest, _containers_ExecRequest__Output>
    ExecResponse: MessageTypeDefinition<_containers_ExecResponse, _containers_ExecResponse__Output>
    ExportRequest: MessageTypeDefinition<_containers_ExportRequest, _containers_ExportRequest__Output>
    ExportResponse: MessageTypeDefinition<_containers_ExportResponse, _containers_ExportResponse__Output>
    InfoRequest: MessageTypeDefinition<_containers_InfoRequest, _containers_InfoRequest__Output>
    InfoResponse: MessageTypeDefinition<_containers_InfoResponse, _containers_InfoResponse__Output>
    InspectContainerRequest: MessageTypeDefinition<_containers_InspectContainerRequest, _containers_InspectContainerRequest__Output>
    InspectContainerResponse: MessageTypeDefinition<_containers_InspectContainerResponse, _containers_InspectContainerResponse__Output>
    KillRequest: MessageTypeDefinition<_containers_KillRequest, _containers_KillRequest__Output>
    KillResponse: MessageTypeDefinition<_containers_KillResponse, _containers_KillResponse__Output>
    ListRequest: MessageTypeDefinition<_containers_ListRequest, _containers_ListRequest__Output>
    ListResponse: MessageTypeDefinition<_containers_ListResponse, _containers_ListResponse__Output>
    LogsRequest: MessageTypeDefinition<_containers_LogsRequest, _containers_LogsRequest__Output>
    LogsResponse: MessageTypeDefinition<_containers_LogsResponse, _containers_LogsResponse__Output>
    PauseRequest: MessageTypeDefinition<_containers_PauseRequest, _containers_PauseRequest__Output>
    PauseResponse: MessageTypeDefinition<_containers_PauseResponse, _containers_PauseResponse__Output>
    RemoteExecRequest: MessageTypeDefinition<_containers_RemoteExecRequest, _containers_RemoteExecRequest__Output>
    RemoteExecResponse: MessageTypeDefinition<_containers_RemoteExecResponse, _containers_RemoteExecResponse__Output>
    RemoteStartRequest: MessageTypeDefinition<_containers_RemoteStartRequest, _containers_RemoteStartRequest__Output>
    RemoteStartResponse: MessageTypeDefinition<_containers_RemoteStartResponse, _containers_RemoteStartResponse__Output>
    RenameRequest: MessageTypeDefinition<_containers_RenameRequest, _containers_RenameRequest__Output>
    RenameResponse: MessageTypeDefinition<_containers_RenameResponse, _containers_RenameResponse__Output>
    ResizeRequest: MessageTypeDefinition<_containers_ResizeRequest, _containers_ResizeRequest__Output>
    ResizeResponse: MessageTypeDefinition<_containers_ResizeResponse, _containers_ResizeResponse__Output>
    RestartRequest: MessageTypeDefinition<_containers_RestartRequest, _containers_RestartRequest__Output>
    RestartResponse: MessageTypeDefinition<_containers_RestartResponse, _containers_RestartResponse__Output>
    ResumeRequest: MessageTypeDefinition<_containers_ResumeRequest, _containers_ResumeRequest__Output>
    ResumeResponse: MessageTypeDefinition<_containers_ResumeResponse, _containers_ResumeResponse__Output>
    StartRequest: MessageTypeDefinition<_containers_StartRequest, _containers_StartRequest__Output>
    StartResponse: MessageTypeDefinition<_containers_StartResponse, _containers_StartResponse__Output>
    StatsRequest: MessageTypeDefinition<_containers_StatsRequest, _containers_StatsRequest__Output>
    StatsResponse: MessageTypeDefinition<_containers_StatsResponse, _containers_StatsResponse__Output>
    StopRequest: MessageTypeDefinition<_containers_StopRequest, _containers_StopRequest__Output>
    StopResponse: MessageTypeDefinition<_containers_StopResponse, _containers_StopResponse__Output>
    TopRequest: MessageTypeDefinition<_containers_TopRequest, _containers_TopRequest__Output>
    TopResponse: MessageTypeDefinition<_containers_TopResponse, _containers_TopResponse__Output>
    UpdateRequest: MessageTypeDefinition<_containers_UpdateRequest, _containers_UpdateRequest__Output>
    UpdateResponse: MessageTypeDefinition<_containers_UpdateResponse, _containers_UpdateResponse__Output>
    VersionRequest: MessageTypeDefinition<_containers_VersionRequest, _containers_VersionRequest__Output>
    VersionResponse: MessageTypeDefinition<_containers_VersionResponse, _containers_VersionResponse__Output>
    WaitRequest: MessageTypeDefinition<_containers_WaitRequest, _containers_WaitRequest__Output>
    WaitResponse: MessageTypeDefinition<_containers_WaitResponse, _containers_WaitResponse__Output>
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

