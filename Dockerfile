# One image for every upmon service: `upmon service NAME` picks the role.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY shared ./shared
COPY services ./services
COPY cli ./cli
COPY stack ./stack
RUN python -m venv /opt/upmon \
 && /opt/upmon/bin/pip install --no-cache-dir -c constraints.txt .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /nonexistent upmon
COPY --from=build /opt/upmon /opt/upmon
ENV PATH=/opt/upmon/bin:$PATH PYTHONUNBUFFERED=1 UPMON_LOG_FORMAT=json
USER upmon
EXPOSE 8080 9100
ENTRYPOINT ["upmon"]
CMD ["service", "api"]
