using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>Photos of the given contacts: the seed's photo file, or a generated placeholder (initials on a colour).</summary>
internal sealed class GetContactPhotos : IBemsMethod
{
    public string Name => MethodNames.GetContactPhotos;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var photos = call.Contacts().Select(ContactPhotos.Of).ToList();
        call.Complete(new GetContactPhotosData(photos));
        return call.Processing(new MethodData(Name));
    }
}
