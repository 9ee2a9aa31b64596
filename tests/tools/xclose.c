/* xclose — test helper: asks an X11 window to close the way a window
 * manager does (Alt+F4, the title bar's ×): a WM_DELETE_WINDOW client
 * message. xdotool can only destroy or kill a window, which is not what a
 * person at the screen can do.
 *
 *   xclose WINDOW_ID      (decimal or 0x hex, e.g. from `xdotool search`)
 *
 * Exit 0 when the message was sent, 1 otherwise. */
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: xclose WINDOW_ID\n", stderr);
        return 2;
    }
    Window win = (Window)strtoul(argv[1], NULL, 0);
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy || !win) {
        fputs("xclose: no display or no window\n", stderr);
        return 1;
    }
    XEvent ev = {0};
    ev.xclient.type = ClientMessage;
    ev.xclient.window = win;
    ev.xclient.message_type = XInternAtom(dpy, "WM_PROTOCOLS", False);
    ev.xclient.format = 32;
    ev.xclient.data.l[0] = (long)XInternAtom(dpy, "WM_DELETE_WINDOW", False);
    ev.xclient.data.l[1] = CurrentTime;
    Status ok = XSendEvent(dpy, win, False, NoEventMask, &ev);
    XSync(dpy, False);
    XCloseDisplay(dpy);
    return ok ? 0 : 1;
}
