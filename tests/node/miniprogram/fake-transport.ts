import type { HttpRequest, HttpResponse, Transport } from "../../../mini-program/miniprogram/lib/client";

type Answer = HttpResponse | "network-failure" | ((request: HttpRequest) => HttpResponse);

/** A transport answering from a script, recording what was sent (for rules that need exact attempts). */
export function scriptedTransport(...answers: Answer[]) {
  const sent: HttpRequest[] = [];
  const transport: Transport = async (request) => {
    sent.push(request);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
    if (answer === "network-failure") throw new Error("request:fail");
    return typeof answer === "function" ? answer(request) : answer;
  };
  return { transport, sent };
}

export const ok = (body: unknown, status = 200): HttpResponse => ({ status, body });
export const problem = (status: number, code: string): HttpResponse => ({
  status,
  body: { type: `/problems/${code}`, title: code, status, detail: "English detail" },
});
