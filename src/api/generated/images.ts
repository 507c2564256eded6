import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CommitRequest as _images_CommitRequest, CommitRequest__Output as _images_CommitRequest__Output } from './images/CommitRequest.ts';
import type { CommitResponse as _images_CommitResponse, CommitResponse__Output as _images_CommitResponse__Output } from './images/CommitResponse.ts';
import type { DeleteImageRequest as _images_DeleteImageRequest, DeleteImageRequest__Output as _images_DeleteImageRequest__Output } from './images/DeleteImageRequest.ts';
import type { DeleteImageResponse as _images_DeleteImageResponse, DeleteImageResponse__Output as _images_DeleteImageResponse__Output } from './images/DeleteImageResponse.ts';
import type { Descriptor as _images_Descriptor, Descriptor__Output as _images_Descriptor__Output } from './images/Descriptor.ts';
import type { Image as _images_Image, Image__Output as _images_Image__Output } from './images/Image.ts';
import type { ImagesServiceClient as _images_ImagesServiceClient, ImagesServiceDefinition as _images_ImagesServiceDefinition } from './images/ImagesService.ts';
import type { ImportRequest as _images_ImportRequest, ImportRequest__Output as _images_ImportRequest__Output } from './images/ImportRequest.ts';
import type { ImportResponse as _images_ImportResponse, ImportResponse__Output as _images_ImportResponse__Output } from './images/ImportResponse.ts';
import type { InspectImageRequest as _images_InspectImageRequest, InspectImageRequest__Output as _images_InspectImageRequest__Output } from './images/InspectImageRequest.ts';
import type { InspectImageResponse as _images_InspectImageResponse, InspectImageResponse__Output as _images_InspectImageResponse__Output } from './images/InspectImageResponse.ts';
import type { ListImagesRequest as _images_ListImagesRequest, ListImagesRequest__Output as _images_ListImagesRequest__Output } from './images/ListImagesRequest.ts';
import type { ListImagesResponse as _images_ListImagesResponse, ListImagesResponse__Output as _images_ListImagesResponse__Output } from './images/ListImagesResponse.ts';
import type { LoadImageRequest as _images_LoadImageRequest, LoadImageRequest__Output as _images_LoadImageRequest__Output } from './images/LoadImageRequest.ts';
import type { LoadImageResponse as _images_LoadImageResponse, LoadImageResponse__Output as _images_LoadImageResponse__Output } from './images/LoadImageResponse.ts';
import type { LoginRequest as _images_LoginRequest, LoginRequest__Output as _images_LoginRequest__Output } from './images/LoginRequest.ts';
import type { LoginResponse as _images_LoginResponse, LoginResponse__Output as _images_LoginResponse__Output } from './images/LoginResponse.ts';
import type { LogoutRequest as _images_LogoutRequest, LogoutRequest__Output as _images_LogoutRequest__Output } from './images/LogoutRequest.ts';
import type { LogoutResponse as _images_LogoutResponse, LogoutResponse__Output as _images_LogoutResponse__Output } from './images/LogoutResponse.ts';
import type { PullImageRequest as _images_PullImageRequest, PullImageRequest__Output as _images_PullImageRequest__Output } from './images/PullImageRequest.ts';
import type { PullImageResponse as _images_PullImageResponse, PullImageResponse__Output as _images_PullImageResponse__Output } from './images/PullImageResponse.ts';
import type { PushImageRequest as _images_PushImageRequest, PushImageRequest__Output as _images_PushImageRequest__Output } from './images/PushImageRequest.ts';
import type { PushImageResponse as _images_PushImageResponse, PushImageResponse__Output as _images_PushImageResponse__Output } from './images/PushImageResponse.ts';
import type { SaveImageRequest as _images_SaveImageRequest, SaveImageRequest__Output as _images_SaveImageRequest__Output } from './images/SaveImageRequest.ts';
import type { SaveImageResponse as _images_SaveImageResponse, SaveImageResponse__Output as _images_SaveImageResponse__Output } from './images/SaveImageResponse.ts';
import type { SearchImage as _images_SearchImage, SearchImage__Output as _images_SearchImage__Output } from './images/SearchImage.ts';
import type { SearchRequest as _images_SearchRequest, SearchRequest__Output as _images_SearchRequest__Output } from './images/SearchRequest.ts';
import type { SearchResponse as _images_SearchResponse, SearchResponse__Output as _images_SearchResponse__Output } from './images/SearchResponse.ts';
import type { TagImageRequest as _images_TagImageRequest, TagImageRequest__Output as _images_TagImageRequest__Output } from './images/TagImageRequest.ts';
import type { TagImageResponse as _images_TagImageResponse, TagImageResponse__Output as _images_TagImageResponse__Output } from './images/TagImageResponse.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  images: {
    CommitRequest: MessageTypeDefinition<_images_CommitRequest, _images_CommitRequest__Output>
    CommitResponse: MessageTypeDefinition<_images_CommitResponse, _images_CommitResponse__Output>
    DeleteImageRequest: MessageTypeDefinition<_images_DeleteImageRequest, _images_DeleteImageRequest__Output>
    DeleteImageResponse: MessageTypeDefinition<_images_DeleteImageResponse, _images_DeleteImageResponse__Output>
    Descriptor: MessageTypeDefinition<_images_Descriptor, _images_Descriptor__Output>
    Image: MessageTypeDefinition<_images_Image, _images_Image__Output>
    ImagesService: SubtypeConstructor<typeof grpc.Client, _images_ImagesServiceClient> & { service: _images_ImagesServiceDefinition }
    ImportRequest: MessageTypeDefinition<_images_ImportRequest, _images_ImportRequest__Output>
    ImportResponse: MessageTypeDefinition<_images_ImportResponse, _images_ImportResponse__Output>
    InspectImageRequest: MessageTypeDefinition<_images_InspectImageRequest, _images_InspectImageRequest__Output>
    InspectImageResponse: MessageTypeDefinition<_images_InspectImageResponse, _images_InspectImageResponse__Output>
    ListImagesRequest: MessageTypeDefinition<_images_ListImagesRequest, _images_ListImagesRequest__Output>
    ListImagesResponse: MessageTypeDefinition<_images_ListImagesResponse, _images_ListImagesResponse__Output>
    LoadImageRequest: MessageTypeDefinition<_images_LoadImageRequest, _images_LoadImageRequest__Output>
    LoadImageResponse: MessageTypeDefinition<_images_LoadImageResponse, _images_LoadImageResponse__Output>
    LoginRequest: MessageTypeDefinition<_images_LoginRequest, _images_LoginRequest__Output>
    LoginResponse: MessageTypeDefinition<_images_LoginResponse, _images_LoginResponse__Output>
    LogoutRequest: MessageTypeDefinition<_images_LogoutRequest, _images_LogoutRequest__Output>
    LogoutResponse: MessageTypeDefinition<_images_LogoutResponse, _images_LogoutResponse__Output>
    PullImageRequest: MessageTypeDefinition<_images_PullImageRequest, _images_PullImageRequest__Output>
    PullImageResponse: MessageTypeDefinition<_images_PullImageResponse, _images_PullImageResponse__Output>
    PushImageRequest: MessageTypeDefinition<_images_PushImageRequest, _images_PushImageRequest__Output>
    PushImageResponse: MessageTypeDefinition<_images_PushImageResponse, _images_PushImageResponse__Output>
    SaveImageRequest: MessageTypeDefinition<_images_SaveImageRequest, _images_SaveImageRequest__Output>
    SaveImageResponse: MessageTypeDefinition<_images_SaveImageResponse, _images_SaveImageResponse__Output>
    SearchImage: MessageTypeDefinition<_images_SearchImage, _images_SearchImage__Output>
    SearchRequest: MessageTypeDefinition<_images_SearchRequest, _images_SearchRequest__Output>
    SearchResponse: MessageTypeDefinition<_images_SearchResponse, _images_SearchResponse__Output>
    TagImageRequest: MessageTypeDefinition<_images_TagImageRequest, _images_TagImageRequest__Output>
    TagImageResponse: MessageTypeDefinition<_images_TagImageResponse, _images_TagImageResponse__Output>
  }
}

